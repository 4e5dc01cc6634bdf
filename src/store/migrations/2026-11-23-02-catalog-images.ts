import { sql, type Kysely } from 'kysely';
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
    // Deleting a media row looks for the rows pointing at it (ON DELETE SET NULL).
    await db.schema
      .createIndex(`${table}_image_media_idx`)
      .on(table)
      .column('image_media_id')
      .where(sql.ref('image_media_id'), 'is not', null)
      .execute();
  }
  // Whether a file is still used is asked by its content's hash at every release.
  await db.schema.createIndex('media_sha256_idx').on('media').columns(['business_id', 'sha256']).where(sql.ref('sha256'), 'is not', null).execute();
}
