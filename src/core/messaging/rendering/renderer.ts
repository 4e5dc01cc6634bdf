/**
 * The engines by syntax. Every surface renders through here, so a new syntax (eSputnik's
 * Velocity, Hellodialog's newsletter HTML with escaped values) is one more entry and the
 * callers keep their code.
 */
import { hellotextEngine } from './hellotext-tags.js';
import type { RenderContext, TagVocabulary, TemplateEngine } from './template-engine.js';

export type TemplateSyntax = 'hellotext';

export function templateEngine(syntax: TemplateSyntax, vocabulary: TagVocabulary): TemplateEngine<RenderContext> {
  switch (syntax) {
    case 'hellotext':
      return hellotextEngine({ vocabulary });
  }
}
