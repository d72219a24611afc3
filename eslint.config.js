// The layer table as lint rules: data flows one way (files and IndexedDB → model → store → views),
// and the pure layers run unchanged in the browser, in a worker, in Node (the CLI) and in tests.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const LAYERS = ['model', 'formats', 'agreement', 'assist', 'synthetic', 'team', 'slides', 'radiology', 'storage', 'sync', 'store', 'viewer', 'tools', 'ui', 'cli'];
/** Packages that tie code to React, the DOM's storage or the viewer: never in a pure layer. */
const FRAMEWORKS = ['react', 'react-dom', 'react-dom/*', 'react-konva', 'konva', 'konva/*', 'zustand', 'zustand/*', 'idb', 'openseadragon'];

/** What each layer may import of ours (itself always). `ui` may import anything. */
const MAY_IMPORT = {
  model: [],
  synthetic: ['model'],
  formats: ['model'],
  agreement: ['model'],
  assist: ['model', 'synthetic', 'slides'],
  team: ['model', 'formats'],
  slides: ['model'],
  radiology: ['model', 'formats', 'slides'],
  storage: ['model', 'formats'],
  sync: ['model', 'formats', 'team'],
  store: ['model', 'storage', 'formats', 'agreement', 'team', 'sync'],
  viewer: ['model', 'store', 'synthetic', 'slides'],
  tools: ['model', 'store'],
  cli: ['model', 'formats', 'agreement', 'assist', 'synthetic', 'team', 'slides', 'radiology'],
};
const PURE = ['model', 'synthetic', 'formats', 'agreement', 'assist', 'team', 'slides', 'radiology', 'cli'];

function layerRules(layer) {
  const allowed = new Set([layer, ...MAY_IMPORT[layer]]);
  const forbidden = LAYERS.filter((l) => !allowed.has(l));
  const patterns = [
    {
      regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
      message: `src/${layer} may import only ${[...allowed].map((l) => `src/${l}`).join(', ')} of ours (see the layer table in the README).`,
    },
  ];
  if (PURE.includes(layer)) patterns.push({ group: FRAMEWORKS, message: `src/${layer} is framework-free: no React, zustand, IndexedDB, Konva or OpenSeadragon.` });
  return { 'no-restricted-imports': ['error', { patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...Object.keys(MAY_IMPORT).map((layer) => ({
    files: [`src/${layer}/**/*.{ts,tsx}`],
    // Tests and benchmarks may reach across layers to build their inputs and check their outputs.
    ignores: ['**/*.test.{ts,tsx}', '**/*.bench.ts', '**/testImages.ts', '**/evaluation.ts', '**/testData.ts', '**/testProjects.ts', '**/testRatings.ts', '**/syntheticCells.ts'],
    rules: layerRules(layer),
  })),
);
