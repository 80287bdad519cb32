import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What an agency publishes before enforcement (事前公开, 国办发〔2018〕118号), section by section, as its administrators
 * wrote it: public as it stands, each change a new version.
 */
export const AGENCY_DISCLOSURE_SECTIONS = [
  'powers-and-duties', // 职责权限、执法事项
  'legal-basis', // 执法依据
  'procedures', // 执法程序、流程图
  'remedies', // 救济途径
  'random-inspection-items', // 随机抽查事项清单
  'discretion-benchmark', // 行政裁量基准 (APL Art. 34: public)
] as const;

export type AgencyDisclosureSection = (typeof AGENCY_DISCLOSURE_SECTIONS)[number];

export const SECTION_TITLES: Readonly<Record<AgencyDisclosureSection, string>> = {
  'powers-and-duties': '职责权限',
  'legal-basis': '执法依据',
  procedures: '执法程序与流程',
  remedies: '救济途径',
  'random-inspection-items': '随机抽查事项清单',
  'discretion-benchmark': '行政裁量基准',
};

export interface AgencyDisclosureContent {
  text: string;
  /** Entries of a list (powers, steps of the process chart, inspection items, benchmark entries). */
  items: Array<{ name: string; detail: string; legalBasis: string }>;
}

@Entity({ name: 'agency_disclosures' })
export class AgencyDisclosureEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @PrimaryColumn({ name: 'section', type: 'varchar', length: 40 })
  section: AgencyDisclosureSection;

  @Column({ name: 'content', type: 'simple-json' })
  content: AgencyDisclosureContent;

  @Column({ name: 'version', type: 'int' })
  version: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
