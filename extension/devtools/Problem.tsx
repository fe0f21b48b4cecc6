import browser from 'webextension-polyfill';
import type { ApiFailure } from '../messages.js';

function OptionsLink() {
  return (
    <a class="options-link" href={browser.runtime.getURL('options.html')} target="_blank" rel="noreferrer">
      Loupe options
    </a>
  );
}

/** The API cannot be had at all (not a missing record): unreachable, refused, or not Loupe. */
export function isAccessFailure(failure: ApiFailure): boolean {
  return failure.status === 0 || failure.status === 403 || !failure.fromLoupe;
}

/** Why an API call gave nothing, in words a developer acts on. */
export function ApiProblem({ failure, what }: { failure: ApiFailure; what: string }) {
  if (failure.status === 0) {
    return (
      <div class="problem" role="alert">
        <strong>The server cannot be reached.</strong> {`Loupe could not load ${what}: ${failure.message}.`} Is the app
        still running?
      </div>
    );
  }
  if (isAccessFailure(failure)) {
    return (
      <div class="problem" role="alert">
        <strong>{failure.status === 403 ? 'The server refused (403).' : 'The server did not answer as Loupe.'}</strong>{' '}
        {failure.message}. In production the Loupe API answers only requests that carry the operator's key; in
        development, only loopback clients unless the <code>allow</code> option widens it. Set this origin's key in the{' '}
        <OptionsLink />, switch Loupe on in this tab with its toolbar button, and reload the page.
      </div>
    );
  }
  return (
    <div class="problem" role="alert">
      <strong>{`Loupe could not load ${what} (${failure.status}).`}</strong> {failure.message}
    </div>
  );
}

/** The inspected page carried no `X-Loupe-Id`. */
export function NoLoupe() {
  return (
    <div class="problem notice" role="status">
      <strong>No Loupe on this page.</strong> None of this tab's responses carried an <code>X-Loupe-Id</code> header.
      Add the middleware first in the app (<code>app.use(loupe())</code>) and reload the page; in production also set
      the origin's key in the <OptionsLink /> and switch Loupe on in this tab with its toolbar button.
    </div>
  );
}
