/* codelit — the string literals of source code pasted as a report (a
 * Python test's log fixture, a prompt template, a Java or Scala text block,
 * a mock's array of stack traces): the text between triple quotes that a
 * program's code opens after `=`, `(`, `,`, `[`, `{`, `:` or `return`, and,
 * in text that is source code (statement keywords, comments, ';' line
 * ends), the lines holding a one-line "..." literal opened the same way. A
 * log never opens one that way, so what such a literal holds is data the
 * code carries, not output of a failing run. One line alone can say the
 * same (fm_code_hands_literal). Pure, thread-safe. */
#ifndef FLINKMEM_CODELIT_H
#define FLINKMEM_CODELIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes up to max line ranges (1-based, inclusive: the opening line to the
 * closing one, or to the last line when the text ends inside) of t's
 * literals to from_to; returns how many. */
size_t fm_code_literals(const char *t, size_t n, uint64_t (*from_to)[2], size_t max);

/* The line [p, e) (blanks before it already skipped) is a statement of
 * source that hands a string literal to code, in any language: a call
 * given one (`printf("... %s\n", x);`, `LOG.error("..." +`), or a line
 * that is only a literal closing a call or joined by "+". The text in it
 * is what the program will print, not what a run printed. [p, e) need not
 * be NUL-terminated; a NUL byte in it is never code. */
bool fm_code_hands_literal(const char *p, const char *e);

#endif
