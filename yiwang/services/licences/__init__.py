"""The electronic licence library (电子证照库): signed licences, verification, exemption of materials.

Public API (import from the submodules so that this package loads before the app registry):

* :func:`yiwang.services.licences.actions.issue_licence`, :func:`~.actions.revoke_licence`
* :func:`yiwang.services.licences.verify.verify_licence` → :class:`~.verify.VerificationResult`
* :func:`yiwang.services.licences.exemption.exempt_materials` with a
  :class:`~.identity.VerifiedIdentity`
* :func:`yiwang.services.licences.idnumber.validate_id_number`
"""

from .idnumber import InvalidIdNumber, is_valid_id_number, validate_id_number

__all__ = ["InvalidIdNumber", "is_valid_id_number", "validate_id_number"]
