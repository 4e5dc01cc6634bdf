import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.js';

/**
 * Images of apps and of product variants (a product's is its default variant's): the reference
 * says "We will download the image and store it on our servers". `image_media_id` names the
 * downloaded copy (table `media`); `image_url` stays what the business gave. Images set
 * before this migration have no copy until they are set again (docs/commerce.md).
 */
export async function up(db: Kysely<unknown>, caps: Capabilities): Promise<void> {
  for (const table of ['apps', 'product_variants']) {
    await db.schema
      .alterTable(table)
      .addColumn('image_media_id', caps.bigIntType, (col) => col.references('media.id').onDelete('set null'))
      .execute();
  }
}
