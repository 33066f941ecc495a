/**
 * A package written by hand in the exact shape of the standards doc §1.2 skeleton
 * (VNPT sample `edoc_new.edxml`): default namespace on <edXML>, `edXML:` prefix bound
 * on the envelope, `Bussiness` spelling, unprefixed <Signature> in the header, `cid:`
 * ids, OtherInfo/Direction (a vendor extension), and a Word file sent zipped
 * (ContentType application/zip, AttachmentName *.doc) outside the envelope.
 * The payload's prefix is declared on the element itself, as real generators do —
 * the doc's abbreviated skeleton leaves it undeclared, which is not well-formed.
 */
import { craftZip } from './zipCraft.js';

export const skeletonDocBytes = new TextEncoder().encode('Công văn số 7816/VPCP-TTĐT — bản Word (giả lập).\n'.repeat(20));
export const skeletonPdfBytes = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Java-style zip (data descriptor) holding the .doc, Base64-wrapped at 76 columns like MIME encoders. */
function wrappedBase64(bytes: Uint8Array): string {
  return (Buffer.from(bytes).toString('base64').match(/.{1,76}/g) ?? []).join('\n');
}

export function skeletonXml(): string {
  const zipped = wrappedBase64(craftZip([{ name: 'cv7816.doc', data: skeletonDocBytes }]));
  const pdf = Buffer.from(skeletonPdfBytes).toString('base64');
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.G17</edXML:OrganId>
          <edXML:OrganizationInCharge/>
          <edXML:OrganName>Bộ Xây dựng</edXML:OrganName>
          <edXML:OrganAdd>37 Lê Đại Hành, Hà Nội</edXML:OrganAdd>
          <edXML:Email>vanthu@moc.gov.vn</edXML:Email>
          <edXML:Telephone>02439760271</edXML:Telephone>
          <edXML:Fax/>
          <edXML:Website>moc.gov.vn</edXML:Website>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName>
        </edXML:To>
        <edXML:To>
          <edXML:OrganId>000.00.00.H41</edXML:OrganId>
          <edXML:OrganName>UBND tỉnh Nghệ An</edXML:OrganName>
        </edXML:To>
        <edXML:DocumentId>000.00.00.G17,2019/01/16,7816/BXD-VP</edXML:DocumentId>
        <edXML:Code>
          <edXML:CodeNumber>7816</edXML:CodeNumber>
          <edXML:CodeNotation>BXD-VP</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Hà Nội</edXML:Place>
          <edXML:PromulgationDate>2019/01/16</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:DocumentType>
          <edXML:Type>1</edXML:Type>
          <edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName>
        </edXML:DocumentType>
        <edXML:Subject>V/v hướng dẫn thực hiện đề án đổi mới</edXML:Subject>
        <edXML:Content>Nội dung tóm tắt</edXML:Content>
        <edXML:SignerInfo>
          <edXML:Competence>TL. BO TRUONG</edXML:Competence>
          <edXML:Position>Chánh Văn phòng</edXML:Position>
          <edXML:FullName>Phạm Văn Đông</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:DueDate>2019/02/16</edXML:DueDate>
        <edXML:ToPlaces>
          <edXML:Place>Như trên</edXML:Place>
          <edXML:Place>Lưu: VT</edXML:Place>
        </edXML:ToPlaces>
        <edXML:OtherInfo>
          <edXML:Priority>0</edXML:Priority>
          <edXML:SphereOfPromulgation>Liên thông văn bản quốc gia</edXML:SphereOfPromulgation>
          <edXML:TyperNotation>TVC</edXML:TyperNotation>
          <edXML:PromulgationAmount>1</edXML:PromulgationAmount>
          <edXML:PageAmount>1</edXML:PageAmount>
          <edXML:Direction>false</edXML:Direction>
          <edXML:Appendixes/>
        </edXML:OtherInfo>
        <edXML:SteeringType>0</edXML:SteeringType>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.G17</edXML:OrganId>
          <edXML:Timestamp>2018/09/28 00:00:00</edXML:Timestamp>
        </edXML:TraceHeader>
        <edXML:Bussiness>
          <edXML:BussinessDocReason>Văn bản điện tử mới</edXML:BussinessDocReason>
          <edXML:BussinessDocType>0</edXML:BussinessDocType>
          <edXML:Paper>0</edXML:Paper>
          <edXML:StaffInfo>
            <edXML:Department>Văn phòng</edXML:Department>
            <edXML:Staff>Nguyễn Thị Đào</edXML:Staff>
            <edXML:Mobile/>
            <edXML:Email/>
          </edXML:StaffInfo>
        </edXML:Bussiness>
      </edXML:TraceHeaderList>
      <Signature>
        <SignedInfo>
          <CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>
          <SignatureMethod Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>
        </SignedInfo>
        <SignatureValue>AAAA</SignatureValue>
        <KeyInfo><X509Data><X509SubjectName>CN=Bộ Xây dựng</X509SubjectName><X509Certificate>MIIFqTCCBJG</X509Certificate></X509Data></KeyInfo>
      </Signature>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        <edXML:Reference>
          <edXML:ContentId>cid:a1b2c3d4-0001</edXML:ContentId>
          <edXML:ContentType>application/zip</edXML:ContentType>
          <edXML:Description>Công văn (bản Word)</edXML:Description>
          <edXML:AttachmentName>cv7816.doc</edXML:AttachmentName>
        </edXML:Reference>
        <edXML:Reference>
          <edXML:ContentId>cid:a1b2c3d4-0002</edXML:ContentId>
          <edXML:ContentType>application/pdf</edXML:ContentType>
          <edXML:Description>Công văn (bản ký số)</edXML:Description>
          <edXML:AttachmentName>cv7816.pdf</edXML:AttachmentName>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:a1b2c3d4-0001</ContentId>
      <AttachmentName>cv7816.doc</AttachmentName>
      <Description>Công văn (bản Word)</Description>
      <ContentType>application/zip</ContentType>
      <edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">${zipped}</edXML:ContentTransferEncoded>
    </Attachment>
    <Attachment>
      <ContentId>a1b2c3d4-0002</ContentId>
      <AttachmentName>cv7816.pdf</AttachmentName>
      <Description>Công văn (bản ký số)</Description>
      <ContentType>application/pdf</ContentType>
      <edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">${pdf}</edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>
`;
}

/** Replaces `target` (which must occur) in `xml`; a mutation that misses is a bug in the test. */
export function mutate(xml: string, target: string | RegExp, replacement: string | ((match: string, ...groups: string[]) => string)): string {
  const found = typeof target === 'string' ? xml.includes(target) : target.test(xml);
  if (!found) throw new Error(`test fixture: ${String(target)} not found`);
  // A string replacement is inserted literally when the target is a string ("$" has no special meaning).
  return typeof target === 'string' && typeof replacement === 'string' ? xml.replace(target, () => replacement) : xml.replace(target, replacement as string);
}
