import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { useProvinces } from '../api/reference';
import { toPersianDigits } from '../lib/digits';
import { matching } from '../lib/persianSearch';

type City = Schemas['City'];

/** A city's name, with its county when the county is named otherwise (two cities may share a name). */
export function cityLabel(c: City): string {
  return c.county_fa && c.county_fa !== c.name_fa ? `${c.name_fa} (${c.county_fa})` : c.name_fa;
}

/**
 * The city of a province, searched as one types (over a thousand cities in all; ی/ي and ک/ك,
 * spaces and the non-joiner folded), not a list to scroll. `value` and `onChange` carry its id.
 */
export function CityField({ id, province, value, onChange, error, helperText }: { id: string; province: string; value: string; onChange: (cityId: string) => void; error?: boolean; helperText?: string | null }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => (i18n.language === 'fa' ? toPersianDigits(n) : String(n));
  const places = useProvinces();
  const cities = places.data?.items.find((p) => p.id === province)?.cities ?? [];
  const selected = cities.find((c) => c.id === value) ?? null;
  return (
    <Autocomplete
      id={id}
      options={cities}
      value={selected}
      onChange={(_, c) => onChange(c?.id ?? '')}
      getOptionLabel={cityLabel}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      filterOptions={(options, state) => matching(options, state.inputValue, cityLabel)}
      disabled={!province}
      openOnFocus
      fullWidth
      noOptionsText={t('officers.noCity')}
      renderInput={(params) => <TextField {...params} label={t('officers.city')} error={error} helperText={helperText ?? (province ? t('officers.cityHelp', { count: count(cities.length) }) : undefined)} />}
    />
  );
}
