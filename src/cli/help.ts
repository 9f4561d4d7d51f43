/** The text of `hearth --help` and each subcommand's help, generated from the option table. */
import { START_OPTIONS, COMMON_FLAGS } from '../config/options.js';
import { envName } from '../config/load-config.js';

const flagLines = (filter: (flag: string) => boolean) => START_OPTIONS.filter((o) => filter(o.flag))
  .map((o) => `  --${o.flag} ${o.arg}`.padEnd(38) + `${o.help} [${envName(o.flag)}]`).join('\n');

const common = () => `${flagLines((f) => COMMON_FLAGS.has(f))}\n  --config FILE`.padEnd(0) + '                        YAML file with any of the settings [HEARTH_CONFIG]';

export function helpText(topic: string): string {
  switch (topic) {
    case 'start':
      return `Usage: hearth start [options]\n\nRuns the hub. Every option can also be set by its environment variable or a key\nin the --config YAML file (data_dir: ./hearth-data); flags win over both.\n\n${flagLines(() => true)}\n  --config FILE                       YAML file with any of the settings [HEARTH_CONFIG]`;
    case 'user':
      return `Usage:\n  hearth user add NAME [--password P] [--admin]   create a local user (prints the user id; a password is generated when none is given)\n  hearth user list                                list local users\n\nOptions:\n${common()}`;
    case 'registration-token':
      return `Usage:\n  hearth registration-token add [TOKEN] [--uses N] [--expires 7d|DATE]   create a token for --registration token\n  hearth registration-token list\n\nOptions:\n${common()}`;
    case 'device':
      return `Usage:\n  hearth device add NAME --profile PROFILE [--topic T] [--key ED25519_PUBLIC_KEY_BASE64]\n      enrol a device: its user, its room #device-NAME in the Home space, and an MQTT token; prints\n      {"device","user_id","room_id","token"} (MQTT username = NAME, password = token; shown only once)\n  hearth device list                  list devices: name, profile, topic, status, room\n  hearth device remove NAME           revoke the device's credentials (its room and history stay)\n  hearth device accept NAME           give a discovered (pending) device its user and room\n\nProfiles: hearth, tasmota, zigbee2mqtt, homeassistant, homie, shelly, esphome. With a hub running on the\nsame data dir the command goes through its admin socket and takes effect at once.\n\nOptions:\n${common()}\n  --device-user-prefix PREFIX         localpart prefix of device users (default device_) [HEARTH_DEVICE_USER_PREFIX]`;
    case 'signing-key':
      return `Usage:\n  hearth signing-key rotate   replace the server signing key; the old one is published under old_verify_keys (restart the hub)\n\nOptions:\n${common()}`;
    default:
      return `Usage: hearth <command> [options]\n\nCommands:\n  start                     run the hub (npm start -- [options])\n  user add|list             manage local users\n  registration-token add|list   manage registration tokens\n  device add|list|remove|accept   manage MQTT devices and their rooms\n  signing-key rotate        rotate the federation signing key\n\nhearth <command> --help shows a command's options; hearth --version prints the version.`;
  }
}
