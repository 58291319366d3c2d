import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

/** Query keys of the reference data every domain reads (one place, so caches are shared). */
export const referenceKeys = {
  provinces: ['provinces'] as const,
  associations: ['associations'] as const,
};

/**
 * The 31 provinces with their cities and universities of medical sciences (GET /provinces).
 * Reference data: fetched once per page load and kept; `enabled` defers it until it is needed.
 */
export function useProvinces(enabled = true) {
  return useQuery({ queryKey: referenceKeys.provinces, staleTime: Infinity, enabled, queryFn: () => unwrap(api.GET('/api/v1/provinces')) });
}

/** The associations (GET /associations), shared by every page that lists or picks them. */
export function useAssociationList(enabled = true) {
  return useQuery({ queryKey: referenceKeys.associations, enabled, queryFn: () => unwrap(api.GET('/api/v1/associations')) });
}
