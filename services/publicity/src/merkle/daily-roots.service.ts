import { Injectable } from '@nestjs/common';
import { addDays, chinaDayOf, startOfChinaDay } from '@enforcement/calendar';
import { canonicalJson } from '@enforcement/canonical-json';
import { DataSource, type EntityManager } from 'typeorm';
import { orderLeaves, proofFor, type DisclosureLeaf, type LeafProof } from '../disclosure-core/disclosure-leaf';
import { leafHash, merkleRoot } from '../disclosure-core/merkle';
import type { DailyRootEntity } from './daily-root.entity';
import { DailyRootRepository } from './daily-root.repository';

export interface DailyRootView {
  day: string;
  root: string;
  size: number;
  computedAt: string;
}

/**
 * Every Shanghai day, once it has ended: the Merkle root over the day's publications and withdrawals, fixed with its
 * leaves, published on the portal. A disclosure changed later no longer matches the leaf the root commits to.
 */
@Injectable()
export class DailyRootsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dailyRoots: DailyRootRepository,
  ) {}

  /** Computes the roots of the ended days that have none yet (from the first publication on). Returns the days. */
  async computeDue(now = new Date()): Promise<string[]> {
    const today = chinaDayOf(now);
    const last = await this.dailyRoots.latest();
    let day: string;
    if (last) {
      day = addDays(last.day, 1);
    } else {
      const first = await this.dailyRoots.firstPublicationBefore(startOfChinaDay(today));
      if (!first) return [];
      day = chinaDayOf(first);
    }
    const computed: string[] = [];
    for (; day < today; day = addDays(day, 1)) {
      await this.compute(day);
      computed.push(day);
    }
    return computed;
  }

  /** The root of `day` (computed now if it has none; fixed once computed). */
  async compute(day: string): Promise<DailyRootView> {
    return this.dataSource.transaction(async (manager) => {
      const held = await this.dailyRoots.byDay(day, manager);
      if (held) return viewOf(held);
      const leaves = await this.leavesOf(manager, day);
      const texts = leaves.map((leaf) => canonicalJson(leaf));
      const hashes = texts.map((text) => leafHash(text));
      const row: DailyRootEntity = { day, root: merkleRoot(hashes), size: texts.length, computedAt: new Date() };
      await this.dailyRoots.insert(
        manager,
        row,
        texts.map((leaf, position) => ({ day, position, disclosureId: leaves[position].disclosureId, leaf, leafHash: hashes[position] })),
      );
      return viewOf(row);
    });
  }

  async root(day: string): Promise<DailyRootView | null> {
    const row = await this.dailyRoots.byDay(day);
    return row ? viewOf(row) : null;
  }

  async roots(limit: number): Promise<DailyRootView[]> {
    return (await this.dailyRoots.newest(limit)).map(viewOf);
  }

  /** Inclusion proofs of every leaf of a disclosure (its publication and, if any, its withdrawal) in fixed days. */
  async proofs(disclosureId: string): Promise<LeafProof[]> {
    const own = await this.dailyRoots.leavesOfDisclosure(disclosureId);
    const proofs: LeafProof[] = [];
    for (const leaf of own) {
      const { root, leaves: all } = await this.dailyRoots.fixedDay(leaf.day);
      proofs.push({
        ...proofFor(
          leaf.day,
          all.map((l) => l.leaf),
          leaf.position,
        ),
        root: root.root,
      });
    }
    return proofs;
  }

  private async leavesOf(manager: EntityManager, day: string): Promise<DisclosureLeaf[]> {
    const { published, withdrawn } = await this.dailyRoots.changedBetween(
      manager,
      startOfChinaDay(day),
      new Date(startOfChinaDay(addDays(day, 1)).getTime() - 1),
    );
    const leaves: DisclosureLeaf[] = [];
    for (const row of published) {
      if (!row.publishedAt || !row.contentDigest) continue;
      leaves.push({
        type: 'published',
        disclosureId: row.id,
        caseId: row.caseId,
        at: row.publishedAt.toISOString(),
        contentDigest: row.contentDigest,
        chainHead: row.chainHead,
      });
    }
    for (const row of withdrawn) {
      if (!row.withdrawnAt || !row.contentDigest) continue;
      leaves.push({
        type: 'withdrawn',
        disclosureId: row.id,
        caseId: row.caseId,
        at: row.withdrawnAt.toISOString(),
        contentDigest: row.contentDigest,
        chainHead: row.chainHead,
        withdrawalReason: row.withdrawalReason ?? '',
      });
    }
    return orderLeaves(leaves);
  }
}

function viewOf(row: DailyRootEntity): DailyRootView {
  return { day: row.day, root: row.root, size: row.size, computedAt: row.computedAt.toISOString() };
}
