import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import CardMedia from '@mui/material/CardMedia';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useParams } from 'react-router';
import type { Schemas } from '../../api/client';
import { useAuth } from '../../app/auth';
import { FormAlert } from '../../components/forms';
import { usePaging } from '../../components/DataTable';
import { Pager } from '../../components/Pager';
import type { Lang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { useNewsItem, useNewsPage } from './api';

type Item = Schemas['NewsItem'];

/** The first lines of a text, for a card. */
export function excerpt(body: string, max = 180): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max).trimEnd()}…` : flat;
}

/** One news card: image, title, association, date, the opening of the text. */
export function NewsCard({ item, showAssociation = true }: { item: Item; showAssociation?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  return (
    <Card variant="outlined" data-testid="news-card">
      <CardActionArea component={RouterLink} to={`/news/${item.id}`}>
        {item.image_url && <CardMedia component="img" height="140" image={item.image_url} alt="" />}
        <CardContent>
          <Typography variant="h6" component="h3">
            {item.title}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {[showAssociation ? item.association_name : null, item.published_at ? formatDate(item.published_at, lang) : t('news.draft')].filter(Boolean).join(' · ')}
          </Typography>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {excerpt(item.body)}
          </Typography>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

/** Published news of every association (AS-06, public). */
export function NewsPage() {
  const { t } = useTranslation();
  const paging = usePaging(10);
  const news = useNewsPage(paging.page, paging.perPage);
  return (
    <Stack spacing={2}>
      <Typography variant="h5" component="h1">
        {t('news.title')}
      </Typography>
      <FormAlert message={news.error ? news.error.message : null} />
      {news.data?.items.length === 0 && <Typography color="text.secondary">{t('news.none')}</Typography>}
      <Stack spacing={2}>{news.data?.items.map((n) => <NewsCard key={n.id} item={n} />)}</Stack>
      <Paper variant="outlined">
        <Pager total={news.data?.total ?? 0} page={paging.page} perPage={paging.perPage} onPage={paging.setPage} onPerPage={paging.setPerPage} />
      </Paper>
    </Stack>
  );
}

/** One news item, its paragraphs as the admin wrote them. */
export function NewsItemPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const { id = '' } = useParams();
  const { status } = useAuth();
  // Drafts are visible to their admins only: wait until the session is restored before asking.
  const item = useNewsItem(id, status);
  if (item.error) return <FormAlert message={item.error.message} />;
  const n = item.data;
  if (!n) return null;
  return (
    <Paper variant="outlined" component="article" sx={{ p: 3 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {n.title}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center' }}>
        <RouterLink to={`/associations/${n.association_id}`}>{n.association_name}</RouterLink>
        <Typography color="text.secondary">{n.published_at ? formatDate(n.published_at, lang) : ''}</Typography>
        {!n.published_at && <Chip size="small" label={t('news.draft')} />}
      </Stack>
      {n.image_url && <img src={n.image_url} alt="" style={{ maxWidth: '100%', borderRadius: 8, marginBottom: 16 }} />}
      {n.body.split(/\n+/).map((p, i) => (
        <Typography key={i} component="p" sx={{ mb: 2 }}>
          {p}
        </Typography>
      ))}
    </Paper>
  );
}
