import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export interface InvoiceContent {
  invoiceNumber: string;
  issuedAt: Date;
  society: { name: string; location: string };
  member: { name: string; email: string };
  plan: { name: string; durationInDays: number };
  period: { startsAt: Date | null; endsAt: Date | null; timeZone: string };
  amount: string;
  currency: string;
  refunded: string;
  transactionId: string;
  paymentDate: Date | null;
}

const day = (date: Date | null, timeZone: string) =>
  date ? new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium' }).format(date) : '—';

/** Standard PDF fonts speak WinAnsi only: anything else is shown as '?', never a crash. */
const printable = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');

/** One A4 page: who sold what to whom, for how much, when; rendered with pdf-lib. */
export const renderInvoicePdf = async (invoice: InvoiceContent): Promise<Uint8Array> => {
  const doc = await PDFDocument.create();
  doc.setTitle(`Invoice ${invoice.invoiceNumber}`);
  doc.setSubject(invoice.invoiceNumber);
  doc.setCreator('ArcFit Roster');
  doc.setCreationDate(invoice.issuedAt);
  const page = doc.addPage([595.28, 841.89]);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const tz = invoice.period.timeZone;
  let y = 780;
  const line = (label: string, value: string) => {
    page.drawText(printable(label), { x: 50, y, size: 11, font: bold });
    page.drawText(printable(value), { x: 200, y, size: 11, font: regular });
    y -= 22;
  };
  page.drawText('INVOICE', { x: 50, y, size: 24, font: bold, color: rgb(0.1, 0.1, 0.3) });
  page.drawText(invoice.invoiceNumber, { x: 400, y, size: 14, font: bold });
  y -= 50;
  line('Society', `${invoice.society.name}, ${invoice.society.location}`);
  line('Member', `${invoice.member.name} <${invoice.member.email}>`);
  line('Plan', `${invoice.plan.name} (${invoice.plan.durationInDays} days)`);
  line('Period', `${day(invoice.period.startsAt, tz)} to ${day(invoice.period.endsAt, tz)} (end exclusive)`);
  line('Amount', `${invoice.amount} ${invoice.currency}`);
  if (invoice.refunded !== '0.00') line('Refunded', `${invoice.refunded} ${invoice.currency}`);
  line('Transaction id', invoice.transactionId);
  line('Payment date', day(invoice.paymentDate, tz));
  line('Issued', day(invoice.issuedAt, tz));
  return doc.save();
};
