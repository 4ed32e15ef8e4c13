// Placeholder until the demo servers land (issue "Demo"): says what was built and how to load it.
import path from 'node:path';

const chrome = path.resolve('dist/chrome');
console.log(`Linkwell is built.

  Extension for Chrome and Edge: ${chrome}
    Open chrome://extensions, turn on Developer mode, choose "Load unpacked" and pick that folder.
  Extension for Firefox:         ${path.resolve('dist/firefox')}
  Offers widget:                 ${path.resolve('dist/widget/linkwell-offers.js')}
`);
