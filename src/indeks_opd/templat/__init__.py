"""OPD templates: one plain .xlsx per active OPD for a period (``indeks-opd templat``, *Buat Templat*)."""

from indeks_opd.templat.generate import Templates, generate_from_master, generate_templates, incoming_folder, outgoing_folder

__all__ = ["Templates", "generate_from_master", "generate_templates", "incoming_folder", "outgoing_folder"]
