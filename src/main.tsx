import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { initWorkspace } from './store/workspace';
import { App } from './ui/App';
import { seedDemoOnce } from './ui/demo';
import './ui/styles.css';

// zod probes for `new Function` once; the Content Security Policy forbids it, so do not ask.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void initWorkspace({ beforeReady: seedDemoOnce });
