import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { ApiProblem, type Schemas } from '../../api/client';
import { FileButton } from '../../components/FileButton';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { formatDate } from '../../lib/dates';
import { NewsCard } from './NewsPages';
import { useAssociationNews, useSaveNews, useTogglePublished } from './api';

type Item = Schemas['NewsItem'];

/** Writes a new item or edits one: title, text, image; new items may be published at once. */
function NewsEditor({ associationId, item, onClose }: { associationId: string; item: Item | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(item?.title ?? '');
  const [body, setBody] = useState(item?.body ?? '');
  const [publish, setPublish] = useState(false);
  const [image, setImage] = useState<{ id: string; url: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const save = useSaveNews(associationId, item, { onSuccess: onClose });
  const fields = () => {
    const f = { title, body, ...(image ? { image_file_id: image.id } : {}) };
    return item ? f : { ...f, publish };
  };
  const fieldError = (f: string) => (save.error instanceof ApiProblem ? save.error.fields[f]?.join(' ') : undefined);
  const imageUrl = image?.url ?? item?.image_url;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{item ? t('news.edit') : t('news.write')}</DialogTitle>
      <DialogContent>
        <FormAlert message={save.error && !fieldError('title') && !fieldError('body') ? save.error.message : null} />
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField id="news-title" label={t('news.headline')} value={title} onChange={(e) => setTitle(e.target.value)} error={Boolean(fieldError('title'))} helperText={fieldError('title')} fullWidth />
          <TextField id="news-body" label={t('news.body')} value={body} onChange={(e) => setBody(e.target.value)} error={Boolean(fieldError('body'))} helperText={fieldError('body')} fullWidth multiline minRows={6} />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            {imageUrl && <img src={imageUrl} alt="" style={{ height: 64, borderRadius: 4 }} />}
            <FileButton purpose="news_image" accept="image/png,image/jpeg,image/webp" label={t('news.chooseImage')} testId="news-image-input" onUploaded={(info) => setImage({ id: info.id, url: info.url })} onBusy={setUploading} />
          </Stack>
          {!item && <FormControlLabel control={<Switch id="news-publish" checked={publish} onChange={(e) => setPublish(e.target.checked)} />} label={t('news.publishNow')} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('admin.cancel')}</Button>
        <Button variant="contained" disabled={save.isPending || uploading} onClick={() => save.mutate(fields())}>
          {t('profile.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The association's news on its page; its admins also see drafts and manage them (AS-06). */
export function NewsSection({ id, manager }: { id: string; manager: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const [editing, setEditing] = useState<Item | 'new' | null>(null);
  const news = useAssociationNews(id, manager);
  const toggle = useTogglePublished(id);
  const items = news.data?.items ?? [];
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="h6" component="h2">
          {t('news.title')}
        </Typography>
        {manager && (
          <Button variant="outlined" onClick={() => setEditing('new')}>
            {t('news.write')}
          </Button>
        )}
      </Stack>
      <FormAlert message={toggle.error ? toggle.error.message : null} />
      {items.length === 0 && <Typography color="text.secondary">{t('news.none')}</Typography>}
      {manager ? (
        <List data-testid="news-admin-list">
          {items.map((n) => (
            <ListItem key={n.id} disableGutters divider sx={{ flexDirection: { xs: 'column', sm: 'row' }, alignItems: { xs: 'stretch', sm: 'center' }, gap: 1 }}>
              <ListItemText
                primary={<RouterLink to={`/news/${n.id}`}>{n.title}</RouterLink>}
                secondary={n.published_at ? formatDate(n.published_at, lang) : <Chip component="span" size="small" label={t('news.draft')} />}
              />
              <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
                <Button size="small" onClick={() => setEditing(n)}>
                  {t('news.edit')}
                </Button>
                <Button size="small" variant={n.published_at ? 'text' : 'contained'} disabled={toggle.isPending} onClick={() => toggle.mutate(n)}>
                  {n.published_at ? t('news.unpublish') : t('news.publish')}
                </Button>
              </Stack>
            </ListItem>
          ))}
        </List>
      ) : (
        <Stack spacing={2} sx={{ mt: 1 }}>
          {items.slice(0, 5).map((n) => (
            <NewsCard key={n.id} item={n} showAssociation={false} />
          ))}
        </Stack>
      )}
      {editing && <NewsEditor associationId={id} item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}
