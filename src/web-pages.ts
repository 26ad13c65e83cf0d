import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join, resolve } from 'node:path';

/** Where `npm run build` puts the pages' scripts (the same place from src/ and dist/). */
const BUNDLE_DIR = resolve(__dirname, '..', 'dist', 'web');

const STYLE = `
  body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}
  header{background:#002b45;color:#fff;padding:.8rem 1.5rem}header a{color:#fff;margin-right:1rem}
  main{max-width:46rem;margin:2rem auto;padding:0 1rem}
  .card{background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px #0002}
  .wide{max-width:none}label{display:block;margin:.6rem 0}input,select{font-size:1rem;padding:.4rem;width:100%}
  button{font-size:1rem;padding:.5rem 1.2rem;margin:.4rem .4rem .4rem 0;border:0;border-radius:4px;background:#0060a0;color:#fff;cursor:pointer}
  button.secondary{background:#667}button.danger{background:#b00020}button:disabled{opacity:.5}
  .code{font-size:2.6rem;letter-spacing:.2em;font-weight:700;text-align:center}
  .qr svg{display:block;width:200px;height:200px;margin:0 auto}
  .status{text-align:center;font-style:italic}.error{color:#b00020}.warning{color:#8a5a00}
  .notice{background:#eef5fb;padding:.6rem 1rem;border-radius:4px}
  table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}
  tr[data-username]{cursor:pointer}tr[data-username]:hover{background:#eef5fb}
  .row{display:flex;gap:.5rem;align-items:center}.row input,.row select{flex:1}
  pre{background:#f0f0f0;padding:1rem;overflow:auto;font-size:.85rem}dl{display:grid;grid-template-columns:8rem 1fr}`;

function layout(title: string, script: string, body = '<main id="app"></main>'): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>${STYLE}</style></head><body>
<header><strong>Passport identity assurance</strong> · <a href="/">Demo</a><a href="/register">Register</a><a href="/portal">ID portal</a><a href="/admin">Admin</a></header>
${body}${script ? `<script src="/web/${script}.js"></script>` : ''}</body></html>`;
}

/** Files of an npm package, resolved from its package.json. */
function packageFile(name: string, file: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), file);
}

export interface WebPageOptions {
  /** The broker simulator's app page, linked from the index in demo mode. */
  appSimulatorUrl?: string;
  /** Serve GraphiQL for browsers that GET /graphql. */
  graphqlIde: boolean;
}

/**
 * The demo's web pages (registration, ID portal, admin) and an offline GraphiQL. They use the
 * same GraphQL API any front end would; their scripts are built by `npm run build`.
 */
export function createWebPages(options: WebPageOptions): Router {
  const router = Router();
  if (!existsSync(join(BUNDLE_DIR, 'register.js'))) {
    throw new Error(`web pages are not built (${BUNDLE_DIR}); run npm run build`);
  }
  router.use('/web', express.static(BUNDLE_DIR, { maxAge: '1h' }));
  const vendor: Record<string, string> = {
    'react.js': packageFile('react', 'umd/react.production.min.js'),
    'react-dom.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
    'graphiql.js': packageFile('graphiql', 'graphiql.min.js'),
    'graphiql.css': packageFile('graphiql', 'graphiql.min.css'),
  };
  router.get('/web/vendor/:file', (req, res) => {
    const file = vendor[req.params.file];
    if (!file) return void res.sendStatus(404);
    res.sendFile(file, { maxAge: '1d' });
  });

  if (options.appSimulatorUrl) {
    // The simulator listens on loopback; relaying its page lets a phone reach it through us.
    const target = new URL(options.appSimulatorUrl);
    router.use('/app', (req, res) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.originalUrl,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.status(502).end());
      req.pipe(upstream);
    });
  }

  router.get('/', (_req, res) => {
    const app = options.appSimulatorUrl
      ? `<li><a href="/app" target="_blank">The ID Verifier app (simulator)</a>: open it on a second tab, or on a phone at this address, enter the activation code, pick a passport.</li>`
      : '';
    res.send(
      layout(
        'Passport identity assurance',
        '',
        `<main><section class="card"><h1>Passport identity assurance (demo)</h1><ol>
          <li><a href="/register">Register a passport</a> on your AD account (demo users: anna / Demo-Passport-1, bo / Demo-Passport-1).</li>
          ${app}
          <li><a href="/portal">Sign in to the ID portal</a> with the registered passport.</li>
          <li><a href="/admin">Administer bindings</a> (admin / Demo-Admin-1).</li>
          ${options.graphqlIde ? '<li><a href="/graphql">GraphiQL</a>: the API itself.</li>' : ''}
        </ol></section></main>`,
      ),
    );
  });
  router.get(
    '/register',
    (_req, res) => void res.send(layout('Register your passport', 'register')),
  );
  router.get('/portal', (_req, res) => void res.send(layout('ID portal', 'portal')));
  router.get('/admin', (_req, res) => void res.send(layout('Passport administration', 'admin')));

  if (options.graphqlIde) {
    router.get('/graphql', (req, res, next) => {
      if (!req.accepts('text/html') || req.query.query !== undefined) return next();
      res.send(`<!doctype html><html><head><meta charset="utf-8"><title>GraphiQL</title>
<link rel="stylesheet" href="/web/vendor/graphiql.css"><style>body{margin:0;height:100vh}#ide{height:100vh}</style></head>
<body><div id="ide"></div><script src="/web/vendor/react.js"></script><script src="/web/vendor/react-dom.js"></script>
<script src="/web/vendor/graphiql.js"></script><script>
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
ReactDOM.createRoot(document.getElementById('ide')).render(React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true }));
</script></body></html>`);
    });
  }
  return router;
}
