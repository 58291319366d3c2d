import { useState, type ReactNode } from 'react';
import type { SxProps, Theme } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow, { type TableRowProps } from '@mui/material/TableRow';
import { useTranslation } from 'react-i18next';
import { Pager } from './Pager';

/** One column: its header and what each row shows in it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** `ltr` for codes and numbers inside a right-to-left page. */
  dir?: 'ltr';
  align?: 'left' | 'right' | 'center';
  sx?: SxProps<Theme>;
}

/** The paging state of a list: page (from 0), page size, and a change of size back to the first page. */
export interface Paging {
  page: number;
  perPage: number;
  setPage: (page: number) => void;
  setPerPage: (perPage: number) => void;
}

/** Paging state for one list (`page` from 0); changing the page size goes back to the first page. */
export function usePaging(initialPerPage = 25): Paging {
  const [page, setPage] = useState(0);
  const [perPage, setPerPageRaw] = useState(initialPerPage);
  return {
    page,
    perPage,
    setPage,
    setPerPage: (v) => {
      setPerPageRaw(v);
      setPage(0);
    },
  };
}

interface Props<T> {
  /** Names the table and its scrolling region for screen readers. */
  label: string;
  columns: Column<T>[];
  /** Undefined while loading: neither rows nor the empty state are shown. */
  rows: T[] | undefined;
  rowKey: (row: T) => string | number;
  /** Extra props of a row (a click, `hover`, `data-*` attributes). */
  rowProps?: (row: T) => TableRowProps & Record<`data-${string}`, string>;
  /** What an empty list says; "Nothing here yet." by default. */
  empty?: ReactNode;
  /** `data-testid` of the table body. */
  testId?: string;
  /** The pager under the table, for a paged list. */
  paging?: Paging & { total: number; capped?: boolean };
  /** A table inside a dialog scrolls within this height, its header staying in view. */
  maxHeight?: number;
}

/**
 * The one table of the app: a labelled scrolling region (keyboard reachable on a phone), the
 * header, the rows, an empty state spanning every column, and the pager of a paged list.
 */
export function DataTable<T>({ label, columns, rows, rowKey, rowProps, empty, testId, paging, maxHeight }: Props<T>) {
  const { t } = useTranslation();
  return (
    <>
      <TableContainer tabIndex={0} role="region" aria-label={label} sx={maxHeight ? { maxHeight } : undefined}>
        <Table size="small" aria-label={label} stickyHeader={Boolean(maxHeight)}>
          <TableHead>
            <TableRow>
              {columns.map((c, i) => (
                <TableCell key={i} align={c.align}>
                  {c.header}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody data-testid={testId}>
            {rows?.map((row) => (
              <TableRow key={rowKey(row)} {...rowProps?.(row)}>
                {columns.map((c, i) => (
                  <TableCell key={i} dir={c.dir} align={c.align} sx={c.sx}>
                    {c.cell(row)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            {rows?.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length}>{empty ?? t('admin.empty')}</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {paging && (
        <Pager
          total={paging.total}
          capped={paging.capped}
          page={paging.page}
          perPage={paging.perPage}
          onPage={paging.setPage}
          onPerPage={paging.setPerPage}
        />
      )}
    </>
  );
}
