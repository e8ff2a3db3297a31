import type { Locale } from '../../core/model/messages.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../../core/sync/index.ts';
import { cipherFor } from './data-key.ts';
import { uiLocale } from './i18n.ts';
import { identityFromToken } from './identity.ts';
import { wsUrl, type Connection, type Grants } from './settings.ts';

/**
 * Opens the enrolled workspace: what the background and every extension page do. The grants keep
 * it to the documents the user may read: without them, units outside the user's scope would be
 * dialled, refused (403) and retried forever, and the status would never reach online. They are
 * those GET /whoami last reported, else those the token itself carries (a policy connection
 * before its first answer).
 */
export async function openConnectionWorkspace(
  connection: Connection & { grants?: Grants },
  locale: Locale = uiLocale(),
  extra: Pick<WorkspaceOptions, 'remembered' | 'indexSnapshot'> = {},
): Promise<Workspace> {
  const grants = connection.grants ?? identityFromToken(connection.token)?.grants;
  // Everything it keeps is sealed with the device's data key; locked: DeviceLockedError (data-key.ts).
  const cipher = await cipherFor(connection);
  return openWorkspace({
    serverUrl: wsUrl(connection.serverUrl),
    token: connection.token,
    locale,
    cipher,
    ...(grants ? { grants } : {}),
    ...extra,
  });
}
