// A box a wide table scrolls sideways in, at 1024 px: a named region the keyboard can reach
// (Tab to it, then the arrow keys scroll), as WCAG asks of any scrolling area (axe's
// scrollable-region-focusable).
import type { ComponentChildren } from "preact";

export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <section class="table-wrap" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}
