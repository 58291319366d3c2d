import Button, { type ButtonProps } from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { uploadFile } from '../lib/upload';
import { FormAlert } from './forms';

/**
 * A button that picks a file and uploads it for a purpose, with a progress bar while it goes
 * and the API's message if it is refused; hands the stored file to `onUploaded`.
 */
export function FileButton({
  purpose,
  accept,
  label,
  onUploaded,
  testId,
  variant = 'outlined',
  size,
  startIcon,
  disabled = false,
  onBusy,
}: {
  purpose: string;
  accept: string;
  label: string;
  onUploaded: (file: Schemas['FileInfo']) => void;
  testId?: string;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
  startIcon?: ReactNode;
  disabled?: boolean;
  /** Told when an upload starts and ends, e.g. to hold a form's save button meanwhile. */
  onBusy?: (busy: boolean) => void;
}) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => {
      onBusy?.(true);
      return uploadFile(file, purpose, setProgress);
    },
    onSuccess: onUploaded,
    onSettled: () => {
      setProgress(null);
      onBusy?.(false);
    },
  });
  return (
    <>
      <Button variant={variant} size={size} component="label" startIcon={startIcon} disabled={disabled || upload.isPending}>
        {label}
        <input
          hidden
          type="file"
          accept={accept}
          data-testid={testId}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) upload.mutate(file);
            e.target.value = '';
          }}
        />
      </Button>
      {progress !== null && <LinearProgress variant="determinate" value={progress * 100} aria-label={t('associations.uploading')} sx={{ width: '100%' }} />}
      <FormAlert message={upload.error ? upload.error.message : null} />
    </>
  );
}
