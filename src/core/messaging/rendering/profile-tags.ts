/**
 * The values Hellotext tags take for one profile, and the tags a business may write: the
 * reference's built-in tags plus every business-wide property by name, case-insensitively.
 */
import { hydrateProfiles, type Profile, type ProfileProperty } from '../../audience/profile.model.js';
import { findProfile } from '../../audience/profiles.repository.js';
import { propertiesOfScope } from '../../audience/properties.repository.js';
import { notFound } from '../../shared/errors.js';
import type { TenantContext } from '../../shared/tenant.js';
import { tagKey } from './hellotext-tags.js';
import { propertyText, textLocale } from './property-text.js';
import { templateEngine } from './renderer.js';
import type { TagVocabulary } from './template-engine.js';

/**
 * The reference's tags, plus `gender`: like company and birthday it is a property every
 * business has without a name, so no custom name could reach it. Built-ins win over a custom
 * property of the same name.
 */
export const BUILT_IN_TAGS = ['name', 'full_name', 'last_name', 'birthday', 'email', 'phone', 'address', 'company', 'gender'] as const;
type BuiltInTag = (typeof BUILT_IN_TAGS)[number];

const isBuiltIn = (name: string): name is BuiltInTag => (BUILT_IN_TAGS as readonly string[]).includes(name);

/** Built-in tags and the business's named properties (not the ones a profile owns). */
export async function tagVocabulary(ctx: TenantContext): Promise<TagVocabulary> {
  const names = new Set<string>(BUILT_IN_TAGS);
  for (const property of await propertiesOfScope(ctx.tenant, 0)) if (property.name !== null) names.add(tagKey(property.name));
  return { has: (name) => names.has(name) };
}

/** The first (default) value of a kind: properties come in display order, defaults first. */
function first(profile: Profile, test: (property: ProfileProperty) => boolean): ProfileProperty | undefined {
  return profile.properties.find(test);
}

/** A lookup of tag values for this profile; undefined for tags it has no value for. */
export function profileTagValues(profile: Profile): (name: string) => string | undefined {
  const locale = textLocale(profile.language);
  const text = (property: ProfileProperty | undefined) => (property === undefined ? undefined : propertyText(property.kind, property.value, locale));
  const builtIn = (tag: BuiltInTag): string | undefined => {
    switch (tag) {
      case 'name':
        return profile.firstName ?? undefined;
      case 'last_name':
        return profile.lastName ?? undefined;
      case 'full_name':
        return [profile.firstName, profile.lastName].filter((part) => part !== null && part !== '').join(' ');
      case 'email':
      case 'phone':
      case 'address':
        return text(first(profile, (property) => property.kind === tag && property.scoped));
      case 'birthday':
      case 'company':
      case 'gender':
        return text(first(profile, (property) => property.kind === tag && !property.scoped && property.name === null));
    }
  };
  return (name) => {
    const key = tagKey(name);
    if (isBuiltIn(key)) return builtIn(key);
    return text(first(profile, (property) => !property.scoped && property.name !== null && tagKey(property.name) === key));
  };
}

export interface RenderOptions {
  /** Makes a tracked short link to `destination` and answers its URL (the messaging engine's createShortLink). */
  readonly shortlink: (destination: string) => Promise<string>;
  /** URLs of the template's dynamic short links, by name. */
  readonly shortlinks?: Readonly<Record<string, string>>;
}

/** `text` with this profile's values and short links in place of its tags. */
export async function renderForProfile(ctx: TenantContext, text: string, profileId: number, options: RenderOptions): Promise<string> {
  const row = await findProfile(ctx.tenant, profileId);
  if (!row) throw notFound('Profile', 'profile');
  const [profile] = await hydrateProfiles(ctx, [row]);
  if (!profile) throw notFound('Profile', 'profile');
  // Rendering never refuses a tag: a property deleted since the template was saved renders empty.
  const engine = templateEngine('hellotext', { has: () => true });
  return engine.render(text, { value: profileTagValues(profile), shortlink: options.shortlink, shortlinks: options.shortlinks ?? {} });
}
