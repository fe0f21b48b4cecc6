/** The loupe glyph: a lens and its handle. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 16 16" aria-hidden="true">
      <circle cx="6.5" cy="6.5" r="4.5" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M10 10l4.5 4.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
    </svg>
  );
}
