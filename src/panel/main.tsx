// Panel entry: the side panel (Chrome, Edge) or sidebar (Firefox) page, bound to a tab by `?tabId=`.
import '../ui/nhs.css';
import './panel.css';
import { render } from 'preact';
import { createExtensionConnector } from './extension-connector';
import { PanelApp } from './panel-app';

const root = document.getElementById('app');
if (root) render(<PanelApp connector={createExtensionConnector()} />, root);
