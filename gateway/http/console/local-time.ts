/**
 * The console's own script for dates and times: the server writes every instant as `<time datetime>` in UTC, which
 * reads without scripts; this rewrites the text in the reader's locale and time zone, on load and in whatever
 * htmx swaps in later (`htmx:load` fires on each new element). Served as a file, since the Content-Security-Policy
 * refuses inline scripts.
 */
export const LOCAL_TIME_SCRIPT = String.raw`(() => {
  'use strict';
  const instant = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  // A calendar date (no time) is no instant: read in UTC, so that no time zone moves it to the day before.
  const calendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
  const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

  function localize(time) {
    const value = time.getAttribute('datetime') || '';
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) return;
    time.textContent = (DATE_ONLY.test(value) ? calendarDay : instant).format(at);
  }

  function localizeWithin(root) {
    if (root.matches && root.matches('time[datetime]')) localize(root);
    if (root.querySelectorAll) root.querySelectorAll('time[datetime]').forEach(localize);
  }

  localizeWithin(document);
  document.addEventListener('htmx:load', (event) => localizeWithin(event.target));
})();
`
