import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import ImportPage from './ImportPage.svelte';

// The full-tab import page (unlisted: the options page and the side panel link to import.html).
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = `${t('import_title')} · Dossier Lens`;
reloadOnLanguageChange();
mount(ImportPage, { target: document.getElementById('app')! });
