import browser from 'webextension-polyfill';

// The DevTools page only registers the panel; the panel page does the work.
void browser.devtools.panels.create('Loupe', 'icons/loupe-32.png', 'panel.html');
