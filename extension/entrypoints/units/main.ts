import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import UnitsPage from '../../components/units/UnitsPage.svelte';

// The full-tab unit pictures page (单位画像); unlisted, opened as units.html#<unit code>.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('units_title');
reloadOnLanguageChange();
mount(UnitsPage, { target: document.getElementById('app')! });
