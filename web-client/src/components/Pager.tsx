import TablePagination from '@mui/material/TablePagination';
import { useTranslation } from 'react-i18next';
import { toPersianDigits } from '../lib/digits';

interface Props {
  total: number;
  page: number;
  perPage: number;
  onPage: (page: number) => void;
  onPerPage: (perPage: number) => void;
  /** The total is a lower bound (a search counted only up to a cap): shown as "more than". */
  capped?: boolean;
}

/** Table paging with labels and digits in the page's language. */
export function Pager({ total, page, perPage, onPage, onPerPage, capped = false }: Props) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => (i18n.language === 'fa' ? toPersianDigits(v) : String(v));
  return (
    <TablePagination
      component="div"
      count={total}
      page={page}
      onPageChange={(_, p) => onPage(p)}
      rowsPerPage={perPage}
      rowsPerPageOptions={[10, 25, 50, 100].map((v) => ({ value: v, label: n(v) }))}
      onRowsPerPageChange={(e) => onPerPage(Number(e.target.value))}
      labelRowsPerPage={t('admin.rowsPerPage')}
      labelDisplayedRows={({ from, to, count }) =>
        `${n(from)}–${n(to)} / ${capped ? t('admin.moreThan', { n: n(count) }) : n(count)}`
      }
    />
  );
}
