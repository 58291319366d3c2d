// Regenerates the reference data of api/core/data/ from two public npm packages (run by hand,
// never at build or run time; api/core/data/README.md names the sources):
//
//   mkdir /tmp/ref && cd /tmp/ref && npm init -y && \
//     npm i @persian-tools/persian-tools@4.0.4 iran-cities@0.0.5
//   node scripts/reference-data/generate.mjs /tmp/ref
//
// - divisions: the provinces, counties and cities of `iran-cities` (csv/*.csv); the provinces are
//   matched to ours by name, and the 93 cities the first migration carried keep their ids.
// - national-code issuing areas: every three-digit prefix `getPlaceByIranNationalId` of
//   persian-tools knows, with its issuing area and the package's province, except the
//   corrections below (each checked against the divisions: the package puts Zanjan, Abhar, Mianeh,
//   Marand and Malekan in Isfahan; Karaj, Savojbolagh, Taleqan and Nazarabad, issued before
//   Alborz was formed, in Tehran; Tabas, before it joined South Khorasan, in Yazd). The province
//   of birth is today's province of the issuing area.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const from = resolve(process.argv[2] ?? '.');
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(repo, 'api/core/data');
const require = createRequire(join(from, 'package.json'));
const { getPlaceByIranNationalId } = await import(require.resolve('@persian-tools/persian-tools'));
const divisions = dirname(require.resolve('iran-cities/package.json'));

/** Folds what differs between spellings of one name: Arabic ي/ك, ئ/ی, spaces, ZWNJ, brackets,
 * a leading «بندر» (port). */
const fold = (s) =>
  s.replace(/ي/g, 'ی').replace(/ك/g, 'ک').replace(/ئ/g, 'ی').replace(/\(.*?\)/g, '').replace(/[\s\u200c]/g, '').replace(/^بندر/, '');
const csv = (path) => readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(',').map((c) => c.trim()));
const clean = (s) => s.replace(/ي/g, 'ی').replace(/ك/g, 'ک').trim();

// Our provinces and the cities of the first migration, as the migration wrote them.
const migration = readFileSync(join(repo, 'migrations/sqlite/20261201000010_officers/up.sql'), 'utf8');
const ours = [...migration.matchAll(/INSERT INTO provinces \(id, name_fa[^)]*\) VALUES \('([^']+)', '([^']+)'/g)].map((m) => ({ id: m[1], name: m[2] }));
const kept = [...migration.matchAll(/INSERT INTO cities \(id, province_id, name_fa\) VALUES \('([^']+)', '([^']+)', '([^']+)'\)/g)].map((m) => ({ id: m[1], province: m[2], name: m[3] }));
const provinceByName = new Map(ours.map((p) => [fold(p.name), p.id]));
const provinceOf = (name) => {
  const id = provinceByName.get(fold(name).replace('کهکیلویه', 'کهگیلویه'));
  if (!id) throw new Error(`no province named ${name}`);
  return id;
};

const provinces = new Map(csv(join(divisions, 'csv/province.csv')).map(([id, name]) => [id, provinceOf(name)]));
const counties = csv(join(divisions, 'csv/county.csv')).map(([id, province, name]) => ({ id: `${provinces.get(province)}-k${id}`, province: provinces.get(province), name: clean(name) }));
const countyId = new Map(csv(join(divisions, 'csv/county.csv')).map(([id, province]) => [id, `${provinces.get(province)}-k${id}`]));
const keptBy = new Map(kept.map((c) => [`${c.province}|${fold(c.name)}`, c]));
const used = new Set();
const cities = csv(join(divisions, 'csv/city.csv')).map(([id, province, county, name]) => {
  const p = provinces.get(province);
  const old = keptBy.get(`${p}|${fold(name)}`);
  if (old) used.add(old.id);
  return { id: old?.id ?? `${p}-c${id}`, province: p, county: countyId.get(county), name: clean(name) };
});
// A city of the first migration that the divisions spell otherwise stays, without a county.
for (const c of kept) if (!used.has(c.id)) cities.push({ id: c.id, province: c.province, county: '', name: c.name });

const valid = (nine) => {
  let s = 0;
  for (let i = 0; i < 9; i++) s += Number(nine[i]) * (10 - i);
  const r = s % 11;
  return nine + (r < 2 ? r : 11 - r);
};
const corrections = {
  ...Object.fromEntries(['031', '032', '489', '695', '717'].map((p) => [p, 'alborz'])),
  '083': 'south-khorasan',
  ...Object.fromEntries(['152', '153', '158', '507'].map((p) => [p, 'east-azerbaijan'])),
  ...Object.fromEntries(['427', '428', '615'].map((p) => [p, 'zanjan'])),
};
const areas = [];
for (let n = 0; n < 1000; n++) {
  const prefix = String(n).padStart(3, '0');
  const place = getPlaceByIranNationalId(valid(`${prefix}123456`));
  if (!place?.city) continue;
  // Abroad (امور خارجه) names no province: the engineer enters it and the expert confirms.
  if (fold(place.province) === fold('امور خارجه')) {
    areas.push({ prefix, area: clean(place.city), province: '' });
    continue;
  }
  areas.push({ prefix, area: clean(place.city), province: corrections[prefix] ?? provinceOf(place.province) });
}

const write = (name, heading, rows) => writeFileSync(join(out, name), `${heading}\n${rows.map((r) => r.join(',')).join('\n')}\n`);
write('counties.csv', 'id,province_id,name_fa', counties.map((c) => [c.id, c.province, c.name]));
write('cities.csv', 'id,province_id,county_id,name_fa', cities.map((c) => [c.id, c.province, c.county, c.name]));
write('national-code-areas.csv', 'prefix,area,province_id', areas.map((a) => [a.prefix, a.area, a.province]));
console.log(`${counties.length} counties, ${cities.length} cities (${used.size} of ${kept.length} kept ids matched), ${areas.length} issuing areas`);
