import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import OptionsPage from '../../components/options/OptionsPage.svelte';

const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('optionsTitle');
reloadOnLanguageChange();
mount(OptionsPage, { target: document.getElementById('app')! });
