import { endOfChinaDay, isValidDay, startOfChinaDay } from '@enforcement/calendar';
import { CertificatesError } from '../errors/certificates.error';

export const CERTIFICATE_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];
export type CertificateAction = 'issue' | 'renew' | 'suspend' | 'reinstate' | 'revoke' | 'expire';

/** Scope and validity of a certificate, as printed: whole days in China Standard Time. */
export interface CertificateTerms {
  domains: string[];
  regionCodes: string[];
  validFrom: string;
  validUntil: string;
}

export interface CertificateState {
  status: CertificateStatus;
  validUntilAt: Date;
}

export interface Transition {
  action: CertificateAction;
  from: CertificateStatus | null;
  to: CertificateStatus;
}

const ALLOWED: Record<Exclude<CertificateAction, 'issue'>, readonly CertificateStatus[]> = {
  // A suspended certificate must be reinstated before renewal; a revoked one is final.
  renew: ['active', 'expired'],
  // Suspension, e.g. after failing the annual law examination, applies to a usable certificate only.
  suspend: ['active'],
  reinstate: ['suspended'],
  revoke: ['active', 'suspended', 'expired'],
  expire: ['active', 'suspended'],
};

const ACTION_NAMES: Record<CertificateAction, string> = {
  issue: '核发',
  renew: '换发',
  suspend: '暂扣',
  reinstate: '恢复',
  revoke: '吊销',
  expire: '到期失效',
};

const STATUS_NAMES: Record<CertificateStatus, string> = {
  active: '有效',
  suspended: '暂扣',
  revoked: '已吊销',
  expired: '已过期',
};

/**
 * The certificate's state machine. Only holders of a usable certificate may enforce (Administrative
 * Penalty Law Art. 42); every change is a transition with a reason kept in the history.
 */
export class CertificateLifecycle {
  static validateTerms(terms: CertificateTerms): void {
    if (!isValidDay(terms.validFrom) || !isValidDay(terms.validUntil)) {
      throw new CertificatesError('INVALID_VALIDITY', '有效期日期格式应为 YYYY-MM-DD', 'invalid');
    }
    if (terms.validUntil < terms.validFrom) {
      throw new CertificatesError('INVALID_VALIDITY', '有效期截止日期不能早于起始日期', 'invalid');
    }
    if (terms.domains.length === 0 || terms.regionCodes.length === 0) {
      throw new CertificatesError('INVALID_SCOPE', '证件须载明执法领域和执法区域', 'invalid');
    }
  }

  static validity(terms: CertificateTerms): { validFromAt: Date; validUntilAt: Date } {
    return { validFromAt: startOfChinaDay(terms.validFrom), validUntilAt: endOfChinaDay(terms.validUntil) };
  }

  static issue(terms: CertificateTerms, now: Date): Transition {
    CertificateLifecycle.validateTerms(terms);
    const expired = CertificateLifecycle.validity(terms).validUntilAt.getTime() <= now.getTime();
    if (expired) throw new CertificatesError('INVALID_VALIDITY', '不能核发已过有效期的证件', 'invalid');
    return { action: 'issue', from: null, to: 'active' };
  }

  static transition(state: CertificateState, action: Exclude<CertificateAction, 'issue'>, now: Date): Transition {
    if (!ALLOWED[action].includes(state.status)) {
      throw new CertificatesError(
        'CERTIFICATE_TRANSITION_NOT_ALLOWED',
        `证件状态为「${STATUS_NAMES[state.status]}」，不能${ACTION_NAMES[action]}`,
        'conflict',
        { details: { status: state.status, action } },
      );
    }
    if (action === 'expire' && state.validUntilAt.getTime() > now.getTime()) {
      throw new CertificatesError('CERTIFICATE_NOT_DUE', '证件尚未到期', 'conflict');
    }
    const to = CertificateLifecycle.target(state, action, now);
    return { action, from: state.status, to };
  }

  private static target(state: CertificateState, action: Exclude<CertificateAction, 'issue'>, now: Date): CertificateStatus {
    switch (action) {
      case 'suspend':
        return 'suspended';
      case 'revoke':
        return 'revoked';
      case 'expire':
        return 'expired';
      case 'renew':
        return 'active';
      case 'reinstate':
        // Reinstating after the validity has run out leaves the certificate expired, not usable.
        return state.validUntilAt.getTime() <= now.getTime() ? 'expired' : 'active';
    }
  }
}
