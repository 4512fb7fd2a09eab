"""OPD templates: one plain .xlsx per active OPD for a period (``indeks-opd templat``, *Buat Templat*)."""

from indeks_opd.templat.generate import generate_from_master, generate_templates, incoming_folder, outgoing_folder

__all__ = ["generate_from_master", "generate_templates", "incoming_folder", "outgoing_folder"]
