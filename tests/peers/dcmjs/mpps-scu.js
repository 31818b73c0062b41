// An MPPS SCU for the integration tests, on dcmjs-dimse (our peer: we did not write its association,
// PDU or DIMSE code). Usage: node mpps-scu.js '<json>' with
//   { host, port, calling, called, charset: "GB18030" | "ISO_IR 192", uid, steps: ["create", "complete" | "discontinue" | "set-unknown"] }
// Prints one JSON line per response: {"step":"create","status":0,"errorComment":...}; exits 0 when every
// request got a response, 2 on a network error.
//
// dcmjs writes strings as UTF-8 whatever Specific Character Set says (and turns what it reads into
// ISO_IR 192), so the GB18030 data sets are encoded here byte by byte and handed to dcmjs-dimse as they
// are; everything else on the wire (association, PDUs, DIMSE commands, fragmentation) is dcmjs-dimse's.
'use strict';
const { Client, Dataset, Transcoding } = require('dcmjs-dimse');
const { NCreateRequest, NSetRequest } = require('dcmjs-dimse').requests;

const MPPS = '1.2.840.10008.3.1.2.3.3';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const cfg = JSON.parse(process.argv[2]);

// --- a small Implicit/Explicit VR Little Endian writer (PS3.5 §7.1.2, §7.1.3, §7.5) for the GB18030 data sets ---
const LONG_VRS = ['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV'];
function pad(buf, padByte) { return buf.length % 2 ? Buffer.concat([buf, Buffer.from([padByte])]) : buf; }
function header(tag, vr, length, explicit) {
  if (!explicit || vr === null) {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(tag >>> 16, 0); h.writeUInt16LE(tag & 0xffff, 2); h.writeUInt32LE(length >>> 0, 4);
    return h;
  }
  const long = LONG_VRS.includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(tag >>> 16, 0); h.writeUInt16LE(tag & 0xffff, 2); h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(length >>> 0, 8); else h.writeUInt16LE(length, 6);
  return h;
}
// Each helper returns a function of "explicit" that encodes the element.
const el = (tag, vr, value) => (x) => Buffer.concat([header(tag, vr, value.length, x), value]);
const txt = (tag, vr, s) => el(tag, vr, pad(Buffer.from(s, 'latin1'), 0x20));
const gb = (tag, vr, hex) => el(tag, vr, pad(Buffer.from(hex, 'hex'), 0x20));
const uid = (tag, s) => el(tag, 'UI', pad(Buffer.from(s, 'latin1'), 0x00));
function us(tag, n) { const b = Buffer.alloc(2); b.writeUInt16LE(n, 0); return el(tag, 'US', b); }
function fd(tag, v) { const b = Buffer.alloc(8); b.writeDoubleLE(v, 0); return el(tag, 'FD', b); }
const sq = (tag, items) => (x) => Buffer.concat([
  header(tag, 'SQ', 0xffffffff, x),
  ...items.map(item => Buffer.concat([header(0xfffee000, null, 0xffffffff, x), ...item.map(e => e(x)), header(0xfffee00d, null, 0, x)])),
  header(0xfffee0dd, null, 0, x),
]);

// GB18030 bytes (computed with a GB18030 codec): 张^三, 胸部平扫, 张三的胸部CT, 低剂量胸部
const GB = { name: 'D5C55EC8FD', requested: 'D0D8B2BFC6BDC9A8', description: 'D5C5C8FDB5C4D0D8B2BF4354', protocol: 'B5CDBCC1C1BFD0D8B2BF' };

// A data set given as elements encoded here; dcmjs-dimse sends its bytes in whichever of the two little
// endian transfer syntaxes the acceptor chose (its transcoder is bypassed for these, see below).
class RawDataset extends Dataset {
  constructor(elements, transferSyntaxUid = IMPLICIT) { super({}, transferSyntaxUid); this.raw = elements; }
  as(transferSyntaxUid) { return new RawDataset(this.raw, transferSyntaxUid); }
  getDenaturalizedDataset() { return Buffer.concat(this.raw.map(e => e(this.getTransferSyntaxUid() === EXPLICIT))); }
}
const originalTranscode = Transcoding.transcodeDataset;
Transcoding.transcodeDataset = function (dataset, transferSyntaxUid, options) {
  return dataset instanceof RawDataset ? dataset.as(transferSyntaxUid) : originalTranscode.call(this, dataset, transferSyntaxUid, options);
};

function createGb18030() {
  return new RawDataset([
    txt(0x00080005, 'CS', 'GB18030'),
    txt(0x00080060, 'CS', 'CT'),
    gb(0x00100010, 'PN', GB.name),
    txt(0x00100020, 'LO', 'MRN-20261202-7'),
    txt(0x00100030, 'DA', '19800101'),
    txt(0x00101010, 'AS', '046Y'),
    txt(0x00400241, 'AE', 'CT01'),
    txt(0x00400242, 'SH', 'CT ROOM 1'),
    txt(0x00400244, 'DA', '20261202'),
    txt(0x00400245, 'TM', '101500'),
    txt(0x00400252, 'CS', 'IN PROGRESS'),
    txt(0x00400253, 'SH', 'PPS-0001'),
    gb(0x00400254, 'LO', GB.description),
    sq(0x00400260, [[txt(0x00080100, 'SH', 'LDCT'), txt(0x00080102, 'SH', '99EQIOT'), gb(0x00080104, 'LO', GB.protocol)]]),
    sq(0x00400270, [[txt(0x00080050, 'SH', 'ACC-778899'), uid(0x0020000d, '1.2.826.0.1.3680043.2.1143.77'), gb(0x00321060, 'LO', GB.requested)]]),
  ]);
}

function finalGb18030(status) {
  const images = [1, 2, 3].map(i => [uid(0x00081150, '1.2.840.10008.5.1.4.1.1.2'), uid(0x00081155, `1.2.826.0.1.3680043.2.1143.77.1.${i}`)]);
  return new RawDataset([
    txt(0x00080005, 'CS', 'GB18030'),
    fd(0x00189345, 3.25),                       // CTDIvol, mGy
    txt(0x00400250, 'DA', '20261202'),
    txt(0x00400251, 'TM', '102730'),
    txt(0x00400252, 'CS', status),
    us(0x00400301, 2),                          // TotalNumberOfExposures
    sq(0x0040030e, [[txt(0x00180060, 'DS', '120')], [txt(0x00180060, 'DS', '100')]]), // ExposureDoseSequence (KVP)
    txt(0x00400310, 'ST', 'low dose protocol'), // CommentsOnRadiationDose
    sq(0x00400340, [[gb(0x00181030, 'LO', GB.protocol), uid(0x0020000e, '1.2.826.0.1.3680043.2.1143.77.1'), sq(0x00081140, images)]]),
  ]);
}

function createUtf8() {
  return new Dataset({
    SpecificCharacterSet: 'ISO_IR 192',
    Modality: 'MR',
    PatientName: [{ Alphabetic: '李^四' }],
    PatientID: 'MRN-UTF8-42',
    PerformedStationAETitle: 'MR01',
    PerformedStationName: 'MR 3T',
    PerformedProcedureStepStartDate: '20261202',
    PerformedProcedureStepStartTime: '080000',
    PerformedProcedureStepStatus: 'IN PROGRESS',
    PerformedProcedureStepID: 'PPS-0002',
    PerformedProcedureStepDescription: '头部MR',
    ScheduledStepAttributesSequence: [{ AccessionNumber: 'ACC-42', StudyInstanceUID: '1.2.826.0.1.3680043.2.1143.42', RequestedProcedureDescription: '头部平扫' }],
  }, IMPLICIT);
}

function finalUtf8(status) {
  return new Dataset({
    SpecificCharacterSet: 'ISO_IR 192',
    PerformedProcedureStepStatus: status,
    PerformedProcedureStepEndDate: '20261202',
    PerformedProcedureStepEndTime: '083000',
    PerformedSeriesSequence: [{
      SeriesInstanceUID: '1.2.826.0.1.3680043.2.1143.42.1',
      ProtocolName: 't1_mprage',
      ReferencedImageSequence: [1, 2].map(i => ({ ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.4', ReferencedSOPInstanceUID: `1.2.826.0.1.3680043.2.1143.42.1.${i}` })),
    }],
  }, IMPLICIT);
}

const gb18030 = cfg.charset === 'GB18030';
const client = new Client();
let pending = 0;
function add(step, request) {
  pending++;
  request.on('response', (response) => {
    pending--;
    console.log(JSON.stringify({ step, status: response.getStatus(), errorComment: response.getErrorComment ? response.getErrorComment() : undefined }));
  });
  client.addRequest(request);
}

for (const step of cfg.steps) {
  if (step === 'create') {
    const request = new NCreateRequest(MPPS, cfg.uid);
    request.setDataset(gb18030 ? createGb18030() : createUtf8());
    add(step, request);
  } else {
    const status = step === 'discontinue' ? 'DISCONTINUED' : 'COMPLETED';
    const request = new NSetRequest(MPPS, step === 'set-unknown' ? cfg.uid + '.404' : cfg.uid);
    request.setDataset(gb18030 ? finalGb18030(status) : finalUtf8(status));
    add(step, request);
  }
}

client.on('networkError', (e) => { console.error('network error: ' + e); process.exit(2); });
client.on('associationRejected', (result) => { console.error('association rejected: ' + JSON.stringify(result)); process.exit(3); });
client.on('closed', () => process.exit(pending === 0 ? 0 : 4));
client.send(cfg.host, cfg.port, cfg.calling, cfg.called);
