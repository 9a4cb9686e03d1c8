/** Renderer entry: install the bridge (IPC from the preload, or HTTP in the browser preview), then the UI. */
import { createRoot } from 'react-dom/client';
import { installApi } from './api/client.js';
import { App } from './app/App.js';
import './i18n/index.js';
import './styles.css';

installApi();
createRoot(document.getElementById('root')!).render(<App />);
