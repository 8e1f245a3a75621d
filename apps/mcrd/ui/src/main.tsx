// Entry point of the dashboard bundle: mounts the app into index.html's <div id="app">.
import { render } from 'preact';
import { App } from './app';
import './styles.css';

render(<App />, document.getElementById('app') as HTMLElement);
