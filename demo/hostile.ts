import type { Express } from 'express';

/**
 * Pages that are hard on an overlay: CSS that resets everything, elements stacked as high as
 * CSS allows, a strict CSP, a document rewritten by script, single-page-app navigation and
 * iframes. Each has something of its own that must keep working under the toolbar; the
 * e2e tests (test/e2e/hostile.test.ts) check both.
 */
export function addHostileRoutes(app: Express): void {
  const html = (title: string, head: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
  /** A button that counts its clicks into #clicks: the page's own behaviour. */
  const counter = `<button id="count" type="button">Count</button> <output id="clicks">0</output>
<script>document.getElementById('count').addEventListener('click', () => {
  const out = document.getElementById('clicks'); out.textContent = String(Number(out.textContent) + 1);
});</script>`;

  app.get('/hostile/unset', (_req, res) => {
    res.type('html').send(
      html(
        'Everything unset',
        `<style>* { all: unset !important; } div, section, button, output { display: block !important; }
html::before, body::after { content: "page pseudo-elements" !important; }</style>`,
        `<h1>Everything unset</h1>${counter}`,
      ),
    );
  });

  app.get('/hostile/z-index', (_req, res) => {
    res.type('html').send(
      html(
        'Stacked high',
        `<style>.cover { position: fixed; inset: 0; z-index: 2147483647; background: rgba(255, 0, 0, 0.2); }
#count { position: relative; z-index: 2147483647; }</style>`,
        `<h1>Stacked high</h1>${counter}
<script>
// A cover over the whole viewport, added after the toolbar, as late as a page can: on top
// of <html>'s other children and again whenever anything changes.
const cover = () => { const div = document.createElement('div'); div.className = 'cover'; div.id = 'cover';
  div.addEventListener('click', () => { document.getElementById('count').click(); });
  document.documentElement.append(div); };
setTimeout(cover, 300);
</script>`,
      ),
    );
  });

  app.get('/hostile/csp', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.type('html').send(
      html('Strict CSP', '<style>h1 { color: red }</style>', `<h1>Strict CSP</h1><p id="content">Nothing but this text may load.</p>`),
    );
  });

  app.get('/hostile/rewrite', (_req, res) => {
    res.type('html').send(
      html(
        'Before the rewrite',
        '',
        `<h1>Before the rewrite</h1>
<script>
setTimeout(() => {
  document.open();
  document.write(${JSON.stringify(`<!doctype html><html><head><title>Rewritten</title></head><body><h1>Rewritten</h1>${counter}</body></html>`).replace(/<\/script>/g, '<\\/script>')});
  document.close();
}, 300);
</script>`,
      ),
    );
  });

  const spa = html(
    'Single-page app',
    '',
    `<nav><a href="/hostile/spa/1" data-item="1">One</a> <a href="/hostile/spa/2" data-item="2">Two</a></nav>
<h1 id="title">Single-page app</h1><pre id="item"></pre>
<script>
const show = async (item) => {
  const response = await fetch('/api/items/' + item);
  document.getElementById('title').textContent = 'Item ' + item;
  document.getElementById('item').textContent = await response.text();
};
document.querySelector('nav').addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link) return;
  event.preventDefault();
  history.pushState({ item: link.dataset.item }, '', link.href);
  show(link.dataset.item);
});
addEventListener('popstate', (event) => { if (event.state) show(event.state.item); else document.getElementById('title').textContent = 'Single-page app'; });
</script>`,
  );
  app.get(['/hostile/spa', '/hostile/spa/:item'], (_req, res) => {
    res.type('html').send(spa);
  });

  app.get('/hostile/frames', (_req, res) => {
    res.type('html').send(
      html(
        'Frames',
        '',
        `<h1>Frames</h1>${counter}
<iframe id="text" src="/text" width="400" height="80"></iframe>
<iframe id="nested" src="/hostile/unset" width="400" height="200"></iframe>
<iframe id="inline" srcdoc="<p>inline frame</p>" width="200" height="60"></iframe>`,
      ),
    );
  });
}
