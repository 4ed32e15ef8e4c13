import { render } from 'preact';
import '../ui/nhs.css';
import './options.css';
import { browserConnector } from './browser-connector';
import { OptionsPage } from './options-page';

const root = document.getElementById('app');
if (root) render(<OptionsPage connector={browserConnector()} />, root);
