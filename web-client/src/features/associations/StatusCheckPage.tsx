import { zodResolver } from '@hookform/resolvers/zod';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';

import { FormCaptcha, type CaptchaHandle } from '../../components/CaptchaField';
import { FormAlert, NationalCodeField, applyProblem, rules, useRevalidateOnLanguage } from '../../components/forms';
import { toAsciiDigits } from '../../lib/digits';
import { useMembershipStatus } from './api';

const schema = () => z.object({ national_code: rules.nationalCode(), captcha_answer: z.string() });
type Values = z.infer<ReturnType<typeof schema>>;

/** The public membership-status check (ID-11). */
export function StatusCheckPage() {
  const { t } = useTranslation();
  const captcha = useRef<CaptchaHandle>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: (values, ctx, options) => zodResolver(schema())(values, ctx, options),
    defaultValues: { national_code: '', captcha_answer: '' },
  });
  useRevalidateOnLanguage(form);
  const check = useMembershipStatus({
    onSettled: () => captcha.current?.renew(),
    onError: (e) => setProblem(applyProblem(form, e, ['national_code', 'captcha_answer'])),
  });
  const answer = check.data;
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 4 }, maxWidth: 520, mx: 'auto' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('associations.statusCheck')}
      </Typography>
      <Typography color="text.secondary">{t('associations.statusCheckIntro')}</Typography>
      <FormAlert message={problem} />
      <form
        noValidate
        onSubmit={form.handleSubmit((v) => {
          setProblem(null);
          check.mutate({ national_code: toAsciiDigits(v.national_code), captcha_id: captcha.current?.id(), captcha_answer: toAsciiDigits(v.captcha_answer) });
        })}
      >
        <NationalCodeField form={form} name="national_code" />
        <FormCaptcha form={form} captchaRef={captcha} />
        <Button type="submit" variant="contained" fullWidth disabled={check.isPending} sx={{ mt: 2 }}>
          {t('associations.check')}
        </Button>
      </form>
      {answer && (
        <div data-testid="status-answer">
          {answer.memberships.length === 0 ? (
            <Alert severity="info" sx={{ mt: 2 }}>
              {t('associations.noneFound')}
            </Alert>
          ) : (
            <List>
              {answer.memberships.map((m) => (
                <ListItem key={m.association_id} disableGutters secondaryAction={<Chip size="small" label={t(`associations.statuses.${m.status}`)} color={m.status === 'approved' ? 'success' : m.status === 'pending' ? 'primary' : 'default'} />}>
                  <ListItemText primary={m.association_name} />
                </ListItem>
              ))}
            </List>
          )}
          {answer.email_masked && (
            <Typography dir="auto">{t('associations.emailOnFile', { email: answer.email_masked })}</Typography>
          )}
        </div>
      )}
    </Paper>
  );
}
