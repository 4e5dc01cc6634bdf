/**
 * The one contract every message text goes through before it leaves: Hellotext templates and
 * free-form bodies now, eSputnik's Velocity templates and Hellodialog's newsletter HTML later.
 * An engine knows its syntax only; what a tag means comes from the context it is given, so the
 * same profile values and short links serve every surface.
 */

/** Something wrong with one tag, found when a template is saved. */
export interface TagProblem {
  /** The tag as written, braces included. */
  readonly tag: string;
  readonly message: string;
}

/** Which tags a business's templates may use; asked when a template is saved. */
export interface TagVocabulary {
  /** `name` is lower-cased and trimmed: tags are case-insensitive. */
  has(name: string): boolean;
}

export interface RenderContext {
  /** The text of a tag (lower-cased, trimmed name); undefined renders as nothing. */
  value(name: string): string | undefined;
  /** Shortens a destination into a tracked link and answers the link's URL. */
  shortlink(destination: string): Promise<string>;
  /** Destinations of the dynamic short links (`{shortlink:name}`) by name. */
  readonly shortlinks: Readonly<Record<string, string>>;
}

export interface TemplateEngine<Context = RenderContext> {
  /** Every problem of the text's tags; empty when the text can be saved. */
  check(text: string): TagProblem[];
  render(text: string, context: Context): Promise<string>;
}
