// Record-page content script: registered at run time only on the practice's configured, granted
// record sites (src/background/record-sites.ts). Built as one self-contained classic script.
import { init } from './record-page';

void init(new AbortController().signal);
