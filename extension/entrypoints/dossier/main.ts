import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import DossierPage from '../../components/dossier/DossierPage.svelte';

// The full-tab 廉政档案 page; unlisted, opened as dossier.html.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('dossier_title');
reloadOnLanguageChange();
mount(DossierPage, { target: document.getElementById('app')! });
