import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DatePicker } from '@mui/x-date-pickers/DatePicker';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, type Schemas } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormAlert } from '../../components/forms';
import type { Lang } from '../../i18n';
import { asDate, formatDate, isoDay } from '../../lib/dates';
import { toAsciiDigits } from '../../lib/digits';
import { useAssignPosition, useBoard, useCloseTerm } from './api';

const POSITIONS: Schemas['Position'][] = ['president', 'vice_president', 'secretary', 'treasurer', 'board_member', 'alternate_member', 'inspector', 'alternate_inspector'];

function AssignSeat({ id }: { id: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [position, setPosition] = useState<string>('president');
  const [start, setStart] = useState<Date | null>(new Date());
  const [end, setEnd] = useState<Date | null>(null);
  const assign = useAssignPosition(id, { onSuccess: () => setCode('') });
  const assignSeat = () => assign.mutate({ national_code: toAsciiDigits(code), position, start_date: isoDay(start) ?? '', end_date: isoDay(end) });
  const fieldError = (f: string) => (assign.error instanceof ApiProblem ? assign.error.fields[f]?.join(' ') : undefined);
  return (
    <Stack
      component="form"
      spacing={2}
      sx={{ mt: 2 }}
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        assignSeat();
      }}
    >
      <Typography variant="subtitle1" component="h3">
        {t('associations.assign')}
      </Typography>
      <FormAlert message={assign.error && !fieldError('national_code') ? assign.error.message : null} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField id="seat-national-code" label={t('associations.nationalCode')} value={code} onChange={(e) => setCode(e.target.value)} error={Boolean(fieldError('national_code'))} helperText={fieldError('national_code')} slotProps={{ htmlInput: { dir: 'ltr', inputMode: 'numeric' } }} fullWidth />
        <TextField id="seat-position" select label={t('associations.position')} value={position} onChange={(e) => setPosition(e.target.value)} sx={{ minWidth: 200 }}>
          {POSITIONS.map((p) => (
            <MenuItem key={p} value={p}>
              {t(`associations.positions.${p}`)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <DatePicker label={t('associations.startDate')} value={start} onChange={setStart} slotProps={{ textField: { fullWidth: true } }} />
        <DatePicker label={t('associations.endDate')} value={end} onChange={setEnd} slotProps={{ textField: { fullWidth: true }, field: { clearable: true } }} />
      </Stack>
      <Button type="submit" variant="contained" disabled={assign.isPending} sx={{ alignSelf: 'flex-start' }}>
        {t('associations.assign')}
      </Button>
    </Stack>
  );
}

/** The board: current holders and past terms; its admins assign and close positions. */
export function BoardSection({ id, manager }: { id: string; manager: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as Lang;
  const board = useBoard(id);
  const [closing, setClosing] = useState<Schemas['BoardSeat'] | null>(null);
  const close = useCloseTerm(id, { onSuccess: () => setClosing(null) });
  const seatText = (s: Schemas['BoardSeat']) =>
    `${formatDate(asDate(s.start_date), lang)}${s.end_date ? ` – ${formatDate(asDate(s.end_date), lang)}` : ''}`;
  return (
    <Paper variant="outlined" sx={{ p: 2 }}>
      <Typography variant="h6" component="h2">
        {t('associations.board')}
      </Typography>
      {board.data?.current.length === 0 && <Typography color="text.secondary">{t('associations.noBoard')}</Typography>}
      <List data-testid="board-current">
        {board.data?.current.map((s) => (
          <ListItem
            key={s.id}
            disableGutters
            secondaryAction={
              manager ? (
                <Button size="small" disabled={close.isPending} onClick={() => setClosing(s)}>
                  {t('associations.closeTerm')}
                </Button>
              ) : undefined
            }
          >
            <ListItemText primary={`${t(`associations.positions.${s.position}`)}: ${s.first_name} ${s.last_name}`} secondary={seatText(s)} />
          </ListItem>
        ))}
      </List>
      {Boolean(board.data?.past.length) && (
        <>
          <Typography variant="subtitle2" component="h3">
            {t('associations.pastBoards')}
          </Typography>
          <List dense>
            {board.data?.past.map((s) => (
              <ListItem key={s.id} disableGutters>
                <ListItemText primary={`${t(`associations.positions.${s.position}`)}: ${s.first_name} ${s.last_name}`} secondary={`${seatText(s)} (${formatDate(asDate(s.closed_on ?? s.start_date), lang)})`} />
              </ListItem>
            ))}
          </List>
        </>
      )}
      {manager && <AssignSeat id={id} />}
      <FormAlert message={close.error ? close.error.message : null} />
      {closing && (
        <ConfirmDialog
          title={t('associations.closeTerm')}
          text={t('associations.closeTermConfirm', { position: t(`associations.positions.${closing.position}`), name: `${closing.first_name} ${closing.last_name}` })}
          confirm={t('associations.closeTerm')}
          busy={close.isPending}
          onConfirm={() => close.mutate(closing.id)}
          onCancel={() => setClosing(null)}
        />
      )}
    </Paper>
  );
}
