/** The time zone to assume for a profile or business when only its country is known. */
import { getCountry, getTimezone } from 'countries-and-timezones';

/**
 * For countries with several zones, the most populous one (the zone tzdb's zone.tab lists first
 * for the country). The library lists zones alphabetically, which would put the US in
 * America/Adak and Spain in Africa/Ceuta.
 */
const MOST_POPULOUS_ZONE: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Kinshasa',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  FM: 'Pacific/Pohnpei',
  ES: 'Europe/Madrid',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Majuro',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Kuala_Lumpur',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  UA: 'Europe/Kyiv',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
};

/**
 * IANA zone of an ISO alpha-2 country (any case); undefined for unknown codes. Without an entry
 * above: the country's own zone (one whose main country it is), else the country's own link
 * (Europe/Amsterdam, which tzdb now links to Europe/Brussels), else its first zone.
 */
export function timezoneOfCountry(country: string): string | undefined {
  const code = country.toUpperCase();
  const known = MOST_POPULOUS_ZONE[code];
  if (known !== undefined) return known;
  const zones = getCountry(code)?.timezones ?? [];
  const own = zones.find((zone) => getTimezone(zone)?.countries[0] === code);
  if (own !== undefined) return own;
  const links = getCountry(code, { deprecated: true })?.timezones ?? [];
  const ownLink = links.find((zone) => zone.includes('/') && getTimezone(zone)?.countries.join() === code);
  return ownLink ?? zones[0];
}
