import { DomainError, invalid } from '../../core/shared/errors.js';
import type { ContactKind, ContactWrite, PropertyWrite } from '../../core/audience/profile-changes.js';
import type { CreateProfileInput, ProfileInput } from '../../core/audience/profiles.service.js';
import type { PublicIds } from '../../core/shared/public-ids.js';
import { booleanParameter, isRecord, textField as text, type Body } from './body-fields.js';

/**
 * Maps Hellotext's profile parameters onto the core's profile input. The same object arrives
 * from JSON and from bracket-notation forms, so scalars may be strings either way.
 */

const CONTACT_PARAMETERS: ReadonlyArray<readonly [string, ContactKind]> = [
  ['email', 'email'],
  ['phone', 'phone'],
  ['address', 'address'],
];

/** Keys of an address value; an `address` hash made only of these is the default address. */
const ADDRESS_FIELDS = new Set(['suggest', 'street', 'postal_code', 'city', 'region', 'subregion', 'country', 'latitude', 'longitude', 'notes']);

/** Built-in properties a client may set at the top level, as the spec's own example does. */
const TOP_LEVEL_PROPERTIES = ['gender', 'birthday', 'company'] as const;

function contactWrites(body: Body, ids: PublicIds): ContactWrite[] {
  const writes: ContactWrite[] = [];
  for (const [parameter, kind] of CONTACT_PARAMETERS) {
    const value = body[parameter];
    const addressFields = kind === 'address' && isRecord(value) ? Object.keys(value).filter((key) => ADDRESS_FIELDS.has(key)).length : 0;
    if (isRecord(value) && addressFields > 0 && addressFields < Object.keys(value).length) {
      throw invalid(parameter, 'Give either the default address (street, city, …) or named addresses (address[work][city]=…), not both.');
    }
    const isDefaultAddress = addressFields > 0 || (isRecord(value) && Object.keys(value).length === 0);
    if (isRecord(value) && !isDefaultAddress) {
      for (const [key, keyed] of Object.entries(value)) {
        writes.push({ kind, target: { by: 'key', key, id: ids.decode('property', key) }, value: keyed, parameter: `${parameter}[${key}]` });
      }
    } else if (value !== undefined) {
      writes.push({ kind, target: { by: 'default' }, value, parameter });
    }
    const replacement = body[`new_default_${parameter}`];
    if (replacement !== undefined) writes.push({ kind, target: { by: 'new_default' }, value: replacement, parameter: `new_default_${parameter}` });
  }
  return writes;
}

function propertyWrites(body: Body, ids: PublicIds): PropertyWrite[] {
  const writes: PropertyWrite[] = [];
  const byName = body.property;
  if (byName !== undefined) {
    if (!isRecord(byName)) throw invalid('property', 'Expected property[Name]=value.');
    for (const [name, value] of Object.entries(byName)) writes.push({ target: { by: 'name', name }, value, parameter: `property[${name}]` });
  }
  const byId = body.property_by_id;
  if (byId !== undefined) {
    if (!isRecord(byId)) throw invalid('property_by_id', 'Expected property_by_id[ID]=value.');
    for (const [key, value] of Object.entries(byId)) writes.push({ target: { by: 'id', id: ids.decode('property', key), key }, value, parameter: `property_by_id[${key}]` });
  }
  // The spec's own example updates `gender=male` at the top level. Only the built-in
  // properties are read there: any other key (a profile object sent back whole, say) is
  // ignored rather than written into a property that happens to share its name.
  for (const name of TOP_LEVEL_PROPERTIES) {
    if (body[name] !== undefined) writes.push({ target: { by: 'name', name }, value: body[name], parameter: name, ifDefined: true });
  }
  return writes;
}

function listNames(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
  if (!items || !items.every((item) => typeof item === 'string' || typeof item === 'number')) {
    throw invalid('lists', 'Expected an array of list names.');
  }
  return items.map(String).filter((name) => name.trim() !== '');
}

/** The profile input of a create or update body. */
export function profileInput(body: unknown, ids: PublicIds): ProfileInput {
  if (!isRecord(body)) throw new DomainError('invalid', 'Expected an object of profile parameters.', 'body');
  return {
    firstName: text(body, 'first_name'),
    lastName: text(body, 'last_name'),
    timezone: text(body, 'timezone'),
    language: text(body, 'language'),
    externalId: text(body, 'reference'),
    contacts: contactWrites(body, ids),
    properties: propertyWrites(body, ids),
    lists: listNames(body.lists),
  };
}

export function createProfileInput(body: unknown, ids: PublicIds): CreateProfileInput {
  const input = profileInput(body, ids);
  return { ...input, subscribe: booleanParameter(isRecord(body) ? body.subscribe : undefined, 'subscribe') };
}
