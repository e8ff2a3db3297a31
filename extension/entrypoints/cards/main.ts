import { mount } from 'svelte';
import '../../components/theme.css';
import { initI18n, reloadOnLanguageChange, t } from '../../lib/i18n.ts';
import CardsPage from '../../components/cards/CardsPage.svelte';

// The full-tab reminder-card page (主体责任提醒卡): #card/<unit>/<id> opens one card (the printed QR
// code's target), #report the quarterly report.
const locale = await initI18n();
document.documentElement.lang = locale;
document.title = t('cards_title');
reloadOnLanguageChange();
mount(CardsPage, { target: document.getElementById('app')! });
