/**
 * What an organisation's machines are told, as files the packager writes next to the packages:
 * the Firefox update manifest (served beside the XPI; Chromium's updates.xml comes from crx3) and
 * the browsers' enterprise policies (never served: they may carry a token). Pure functions; the
 * README's "Deployment" section says where each file goes.
 */

/**
 * The extension's managed storage (extension/public/managed_schema.json): the sync server and,
 * when the organisation hands out tokens by policy, the token. Both present: the extension is
 * enrolled without a click (extension/lib/settings.ts, readConnection).
 */
export interface ManagedConfig {
  serverUrl: string;
  token?: string;
}

const managedData = (m: ManagedConfig) => ({ serverUrl: m.serverUrl, ...(m.token ? { token: m.token } : {}) });

/** Firefox's update manifest (`updates.json`), named by the XPI manifest's gecko.update_url. */
export function firefoxUpdates(o: { id: string; version: string; xpiUrl: string; minVersion?: string }): object {
  return {
    addons: {
      [o.id]: {
        updates: [
          {
            version: o.version,
            update_link: o.xpiUrl,
            ...(o.minVersion ? { applications: { gecko: { strict_min_version: o.minVersion } } } : {}),
          },
        ],
      },
    },
  };
}

/**
 * Chromium's policy (Linux: a JSON file in /etc/chromium/policies/managed/, or
 * /etc/opt/chrome/policies/managed/ for Chrome; Windows and macOS: the same names in the registry
 * or a profile). Force-installs the extension from the update manifest and, with `managed`, gives
 * it its configuration (the "3rdparty" part: the extension's storage.managed).
 */
export function chromiumPolicy(o: { id: string; updateUrl: string; managed?: ManagedConfig }): object {
  return {
    ExtensionSettings: {
      [o.id]: { installation_mode: 'force_installed', update_url: o.updateUrl, toolbar_pin: 'force_pinned' },
    },
    ...(o.managed ? { '3rdparty': { extensions: { [o.id]: managedData(o.managed) } } } : {}),
  };
}

/**
 * Firefox's policies.json (Linux: `distribution/policies.json` in the installation, e.g.
 * /usr/lib/firefox-esr/distribution/, or /etc/firefox/policies/ where the build reads system
 * policies; Windows: the same names by GPO). Force-installs the XPI, allows it unsigned (honoured
 * by ESR and Developer Edition only) and, when the updates are served over plain http, allows
 * that too (Firefox otherwise refuses an add-on whose update_url is not https, as "incompatible");
 * and gives the extension its configuration.
 */
export function firefoxPolicies(o: { id: string; xpiUrl: string; managed?: ManagedConfig; unsigned: boolean }): object {
  const locked = (Value: boolean) => ({ Value, Status: 'locked' });
  const prefs = {
    ...(o.unsigned ? { 'xpinstall.signatures.required': locked(false) } : {}),
    ...(o.xpiUrl.startsWith('http:') ? { 'extensions.checkUpdateSecurity': locked(false) } : {}),
  };
  return {
    policies: {
      ExtensionSettings: { [o.id]: { installation_mode: 'force_installed', install_url: o.xpiUrl } },
      ...(Object.keys(prefs).length > 0 ? { Preferences: prefs } : {}),
      ...(o.managed ? { '3rdparty': { Extensions: { [o.id]: managedData(o.managed) } } } : {}),
    },
  };
}
