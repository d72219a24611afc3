import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initWorkspace } from './store/workspace';
import { App } from './ui/App';
import { seedDemoOnce } from './ui/demo';
import './ui/styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void initWorkspace({ beforeReady: seedDemoOnce });
