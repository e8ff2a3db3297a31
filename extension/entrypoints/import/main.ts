import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange } from '../../lib/i18n.ts';
import { text } from './text.ts';
import ImportPage from './ImportPage.svelte';

// The full-tab import page (unlisted: the options page and the side panel link to import.html).
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = text(locale).title;
reloadOnLanguageChange();
mount(ImportPage, { target: document.getElementById('app')!, props: { locale } });
