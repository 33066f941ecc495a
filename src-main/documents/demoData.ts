/**
 * Realistic demo data: a provincial department with units, external agencies and
 * N documents (incoming and outgoing, Vietnamese metadata and ~2 KB of text each),
 * registered through the same code paths as real ones. Deterministic for a seed.
 */
import type { Db } from '../store/database.js';
import type { FileStore } from '../store/fileStore.js';
import { completeSetup, isSetupDone, readMasterData } from './masterData.js';
import { registerIncomingRecord } from './incomingRegister.js';
import { issueDocument, saveDraft } from './outgoingRegister.js';
import { simplePdf } from './simplePdf.js';
import { storeUpload } from './attachments.js';
import { agencyDate, agencyYear } from './time.js';

export const demoAgency = { name: 'Sở Nội vụ tỉnh Cao Bằng', shortName: 'SNV', code: '000.12.30.H14', place: 'Cao Bằng' };

const senders = [
  'UBND tỉnh Cao Bằng', 'Văn phòng Chính phủ', 'Bộ Nội vụ', 'Sở Tài chính tỉnh Cao Bằng', 'Sở Kế hoạch và Đầu tư',
  'UBND huyện Hòa An', 'UBND thành phố Cao Bằng', 'Sở Giáo dục và Đào tạo', 'Sở Y tế tỉnh Cao Bằng', 'Công an tỉnh Cao Bằng',
  'Ban Tổ chức Tỉnh ủy', 'Sở Thông tin và Truyền thông', 'UBND huyện Trùng Khánh', 'Kho bạc Nhà nước tỉnh', 'Sở Tư pháp',
];
const senderCodes = ['UBND', 'VPCP', 'BNV', 'STC', 'SKHĐT', 'UBND', 'UBND', 'SGDĐT', 'SYT', 'CAT', 'BTCTU', 'STTTT', 'UBND', 'KBNN', 'STP'];
const topics = [
  'triển khai thực hiện Nghị định 30/2020/NĐ-CP về công tác văn thư', 'kế hoạch cải cách hành chính năm', 'tuyển dụng công chức cấp xã',
  'báo cáo tình hình kinh tế xã hội quý', 'đào tạo bồi dưỡng cán bộ công chức', 'chuyển đổi số trong cơ quan nhà nước',
  'phòng chống thiên tai và tìm kiếm cứu nạn', 'quyết toán ngân sách nhà nước', 'thi đua khen thưởng đợt đột xuất',
  'sắp xếp đơn vị hành chính cấp huyện, cấp xã', 'đánh giá xếp loại chất lượng cán bộ', 'tổ chức hội nghị tổng kết công tác',
  'đảm bảo an toàn thông tin mạng', 'kiện toàn tổ chức bộ máy', 'quản lý đất đai và tài nguyên môi trường', 'xây dựng nông thôn mới',
];
const sentences = [
  'Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, các cơ quan, đơn vị khẩn trương triển khai các nội dung sau đây.',
  'Đề nghị Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các huyện, thành phố quan tâm chỉ đạo thực hiện.',
  'Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời về Sở Nội vụ để tổng hợp, báo cáo.',
  'Kết quả thực hiện gửi về Văn phòng trước ngày 15 hằng tháng để tổng hợp, báo cáo cấp có thẩm quyền.',
  'Giao phòng Tổ chức cán bộ chủ trì, phối hợp với các đơn vị liên quan theo dõi, đôn đốc việc thực hiện.',
  'Việc quản lý, sử dụng con dấu và thiết bị lưu khóa bí mật được thực hiện theo quy định của pháp luật.',
  'Đảm bảo đường truyền, hạ tầng kỹ thuật phục vụ việc gửi, nhận văn bản điện tử giữa các cơ quan hành chính nhà nước.',
  'Bố trí kinh phí từ nguồn ngân sách được giao và các nguồn hợp pháp khác theo quy định hiện hành.',
];
const people = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Đức Cường', 'Phạm Thị Dung', 'Hoàng Văn Đức', 'Đặng Thị Hằng', 'Bế Văn Khánh', 'Nông Thị Lan'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A day of the current year up to today (Asia/Ho_Chi_Minh), as yyyy-MM-dd. */
function randomPastDate(random: () => number, now: Date): string {
  const today = agencyDate(now);
  const maxMonth = Number(today.slice(5, 7));
  const month = 1 + Math.floor(random() * maxMonth);
  const lastDay = month === maxMonth ? Number(today.slice(8, 10)) : 28;
  const day = 1 + Math.floor(random() * lastDay);
  return `${today.slice(0, 4)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface DemoOptions {
  documents: number;
  seed?: number;
  /** Every how many incoming documents one gets a small PDF (0 = none). */
  pdfEvery?: number;
  now?: Date;
}

const actors = ['Ủy ban nhân dân tỉnh', 'Sở Nội vụ', 'Sở Tài chính', 'các phòng chuyên môn', 'Ủy ban nhân dân cấp huyện',
  'Văn phòng Sở', 'Thanh tra Sở', 'Trung tâm Phục vụ hành chính công', 'Ban Quản lý dự án', 'Hội đồng thi đua khen thưởng'];
const actions = ['chủ trì, phối hợp thực hiện', 'rà soát, tổng hợp', 'hướng dẫn triển khai', 'kiểm tra, đôn đốc', 'báo cáo kết quả',
  'đề xuất phương án', 'thẩm định hồ sơ', 'bố trí kinh phí cho', 'lấy ý kiến góp ý về', 'tổ chức tập huấn về'];
const objects = ['hồ sơ tuyển dụng viên chức', 'dự toán ngân sách', 'đề án vị trí việc làm', 'chỉ số cải cách hành chính',
  'hệ thống quản lý văn bản và điều hành', 'chữ ký số chuyên dùng', 'kế hoạch phòng chống lụt bão', 'quy hoạch sử dụng đất',
  'chương trình mục tiêu quốc gia', 'danh sách cán bộ đi học', 'biên chế công chức', 'cơ sở dữ liệu cán bộ', 'lưu trữ hồ sơ điện tử',
  'giải quyết khiếu nại, tố cáo', 'hạ tầng chuyển đổi số', 'nguồn vốn đầu tư công'];
const places = ['Hòa An', 'Trùng Khánh', 'Bảo Lạc', 'Nguyên Bình', 'Thạch An', 'Quảng Hòa', 'Hà Quảng', 'Bảo Lâm', 'Hạ Lang', 'thành phố Cao Bằng'];
const deadlines = ['trước ngày 15 hằng tháng', 'trong quý I', 'trước ngày 30 tháng 6', 'trong tháng này', 'chậm nhất ngày 20', 'trước kỳ họp'];

export function demoText(random: () => number, subject: string, targetLength = 2000): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const parts = [subject.charAt(0).toUpperCase() + subject.slice(1) + '.'];
  let length = parts[0]!.length;
  while (length < targetLength) {
    const s =
      random() < 0.5
        ? `Giao ${pick(actors)} ${pick(actions)} ${pick(objects)} tại ${pick(places)}, ${pick(deadlines)}.`
        : `${pick(sentences)} Nội dung liên quan đến ${pick(objects)} của ${pick(actors).toLowerCase()} được thực hiện ${pick(deadlines)}.`;
    parts.push(s);
    length += s.length + 1;
  }
  return parts.join(' ');
}

/** Creates the demo agency (when not set up) and `documents` documents, ~80 % incoming. */
export async function generateDemo(db: Db, files: FileStore, options: DemoOptions): Promise<{ incoming: number; outgoing: number }> {
  const random = rng(options.seed ?? 30);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  if (!isSetupDone(db)) {
    completeSetup(db, {
      agency: demoAgency,
      units: [
        { name: 'Văn phòng Sở', shortName: 'VP' },
        { name: 'Phòng Tổ chức cán bộ', shortName: 'TCCB' },
        { name: 'Phòng Cải cách hành chính', shortName: 'CCHC' },
        { name: 'Phòng Xây dựng chính quyền', shortName: 'XDCQ' },
      ],
      user: { fullName: 'Đặng Thị Hằng', position: 'Văn thư', unitIndex: 0 },
    });
  }
  const master = readMasterData(db);
  const types = master.documentTypes;
  const now = options.now ?? new Date();
  const year = agencyYear(now);
  let incoming = 0;
  let outgoing = 0;
  const batch = 500;
  for (let start = 0; start < options.documents; start += batch) {
    const drafts: number[] = [];
    db.transaction(() => {
      for (let i = start; i < Math.min(options.documents, start + batch); i += 1) {
        const type = pick(types);
        const topic = pick(topics);
        const subject = `${type.abbreviation === null ? 'V/v ' : ''}${topic} ${year}`;
        const date = randomPastDate(random, now);
        if (random() < 0.8) {
          const s = Math.floor(random() * senders.length);
          const text = demoText(random, subject);
          const withPdf = options.pdfEvery !== undefined && options.pdfEvery > 0 && i % options.pdfEvery === 0;
          const upload = withPdf ? { name: `vb-${i}.pdf`, bytes: simplePdf([subject, text]), mime: 'application/pdf' } : null;
          registerIncomingRecord(db, {
            senderName: senders[s]!,
            codeNumber: String(1 + Math.floor(random() * 2000)),
            codeNotation: `${type.abbreviation ?? 'CV'}-${senderCodes[s]}`,
            documentDate: date,
            typeId: type.id,
            subject,
            urgency: (random() < 0.85 ? 0 : 1 + Math.floor(random() * 3)) as 0 | 1 | 2 | 3,
            confidentiality: 0,
            recipientUnitId: pick(master.units).id,
            recipientPerson: pick(people),
            dueDate: random() < 0.3 ? `${year}-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}` : null,
            note: null,
            arrivalDate: date,
            bodyText: text,
            upload,
            sha256: upload ? storeUpload(files, upload) : null,
          }, now);
          incoming += 1;
        } else {
          drafts.push(i);
        }
      }
    })();
    for (const i of drafts) {
      const type = pick(types);
      const unit = pick(master.units);
      const draft = await saveDraft(db, files, {
        typeId: type.id,
        subject: `${type.abbreviation === null ? 'V/v ' : ''}${pick(topics)} ${year}`,
        signerName: pick(people),
        signerPosition: pick(['Giám đốc', 'Phó Giám đốc']),
        recipients: `${pick(senders)}; Lưu: VT, ${unit.shortName}`,
        draftingUnitId: unit.id,
        urgency: 0,
        confidentiality: 0,
        note: null,
      }, now);
      if (random() < 0.9 || i === 0) issueDocument(db, { id: draft.id }, now);
      outgoing += 1;
    }
  }
  return { incoming, outgoing };
}
