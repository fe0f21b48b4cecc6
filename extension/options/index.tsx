import { render } from 'preact';
import { OptionsPage } from './OptionsPage.js';

render(<OptionsPage />, document.getElementById('options')!);
